"""API contract of the recommender through the real app (lifespan run): shapes, statuses and bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from recommender.app import create_app
from recommender.config import Settings
from recommender.model import Recommender


def test_health_reports_both_model_versions(client: TestClient, model_dir: Path) -> None:
    versions = {
        e: json.loads((model_dir / e / "metadata.json").read_text())["model_version"]
        for e in ("movies", "streaming")
    }
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["service"] == "recommender"
    assert body["version"] == f"{versions['movies']}+{versions['streaming']}"
    assert body["model_versions"] == versions
    assert body["titles"]["movies"] == 4995


def test_get_recommendation_is_a_list_of_five_titles(
    client: TestClient, movies: Recommender
) -> None:
    response = client.get("/get_recommendation/Toy Story")
    assert response.status_code == 200
    assert response.json() == [item.ref.title for item in movies.recommend("Toy Story").items]
    assert len(response.json()) == 5


def test_get_recommendation_streaming(client: TestClient, streaming: Recommender) -> None:
    response = client.get("/get_recommendation/stranger things", params={"catalogo": "streaming"})
    assert response.status_code == 200
    assert response.json() == streaming.titles_for("stranger things")


def test_recomendaciones_shape(client: TestClient, movies: Recommender) -> None:
    response = client.get("/recomendaciones/titanic", params={"k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["titulo"] == {"titulo": "Titanic", "anio": 1997, "id": 597}
    assert body["catalogo"] == "movies"
    assert body["otras"] == [{"titulo": "Titanic", "anio": 1953, "id": 16535}]
    expected = movies.recommend("Titanic", k=3).items
    assert [
        {k: r[k] for k in ("titulo", "anio", "id", "score")} for r in body["recomendaciones"]
    ] == [
        {"titulo": i.ref.title, "anio": i.ref.year, "id": i.ref.id, "score": i.score}
        for i in expected
    ]
    assert all(isinstance(r["razon"], str) and r["razon"] for r in body["recomendaciones"])


@pytest.mark.parametrize(
    ("catalogo", "canonical"),
    [("Movies", "movies"), ("STREAMING", "streaming"), ("Stréaming", "streaming")],
)
def test_catalogo_is_case_and_accent_insensitive(
    client: TestClient, catalogo: str, canonical: str
) -> None:
    # The gateway folds query values into its cache key: every spelling must get the same answer.
    response = client.get("/get_recommendation/toy story", params={"catalogo": catalogo})
    assert response.status_code == 200
    expected = client.get("/get_recommendation/toy story", params={"catalogo": canonical})
    assert response.json() == expected.json()
    detailed = client.get("/recomendaciones/toy story", params={"catalogo": catalogo, "k": 2})
    assert detailed.status_code == 200
    assert detailed.json()["catalogo"] == canonical


def test_recomendaciones_year_picks_the_other_titanic(client: TestClient) -> None:
    body = client.get("/recomendaciones/Titanic", params={"anio": 1953}).json()
    assert body["titulo"] == {"titulo": "Titanic", "anio": 1953, "id": 16535}
    assert body["otras"] == [{"titulo": "Titanic", "anio": 1997, "id": 597}]
    assert len(body["recomendaciones"]) == 5


def test_recomendaciones_reasons_name_the_collection(client: TestClient) -> None:
    body = client.get("/recomendaciones/Toy Story", params={"k": 1}).json()
    first = body["recomendaciones"][0]
    assert first["titulo"] == "Toy Story 2"
    assert first["razon"].startswith("misma colección: Toy Story Collection")


def test_streaming_ids_are_strings(client: TestClient) -> None:
    body = client.get("/recomendaciones/stranger things", params={"catalogo": "streaming"}).json()
    assert body["catalogo"] == "streaming"
    assert body["titulo"]["id"] == "ns3686"
    assert all(isinstance(r["id"], str) for r in body["recomendaciones"])


@pytest.mark.parametrize(
    ("url", "params", "body"),
    [
        (
            "/recomendaciones/Toy Story",
            {"k": 0},
            {
                "detail": {
                    "message": "invalid value for k",
                    "errors": [
                        {
                            "loc": ["query", "k"],
                            "msg": "Input should be greater than or equal to 1",
                            "type": "greater_than_equal",
                        }
                    ],
                }
            },
        ),
        (
            "/recomendaciones/Toy Story",
            {"k": 51},
            {
                "detail": {
                    "message": "invalid value for k",
                    "errors": [
                        {
                            "loc": ["query", "k"],
                            "msg": "Input should be less than or equal to 50",
                            "type": "less_than_equal",
                        }
                    ],
                }
            },
        ),
        (
            "/recomendaciones/Toy Story",
            {"k": "cinco"},
            {
                "detail": {
                    "message": "invalid value for k",
                    "errors": [
                        {
                            "loc": ["query", "k"],
                            "msg": "Input should be a valid integer, unable to parse string as an integer",
                            "type": "int_parsing",
                        }
                    ],
                }
            },
        ),
        (
            "/recomendaciones/Toy Story",
            {"catalogo": "netflix"},
            {
                "detail": {
                    "message": "unknown catalogo 'netflix'",
                    "parameter": "catalogo",
                    "value": "netflix",
                    "valid_values": ["movies", "streaming"],
                }
            },
        ),
        (
            "/get_recommendation/Toy Story",
            {"catalogo": "series"},
            {
                "detail": {
                    "message": "unknown catalogo 'series'",
                    "parameter": "catalogo",
                    "value": "series",
                    "valid_values": ["movies", "streaming"],
                }
            },
        ),
        (
            "/recomendaciones/Toy Story",
            {"catalogo": "peliculas"},
            {
                "detail": {
                    "message": "unknown catalogo 'peliculas'",
                    "parameter": "catalogo",
                    "value": "peliculas",
                    "valid_values": ["movies", "streaming"],
                }
            },
        ),
        (
            "/recomendaciones/%20%20",
            {},
            {
                "detail": {
                    "message": "invalid value for titulo",
                    "errors": [
                        {
                            "loc": ["path", "titulo"],
                            "msg": "String should match pattern '\\S'",
                            "type": "string_pattern_mismatch",
                        }
                    ],
                }
            },
        ),
    ],
)
def test_bad_input_is_422_with_the_shared_shape(
    client: TestClient, url: str, params: dict[str, Any], body: dict[str, Any]
) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422
    assert response.json() == body


def test_blank_title_on_get_recommendation_is_422(client: TestClient) -> None:
    response = client.get("/get_recommendation/%20")
    assert response.status_code == 422
    assert response.json()["detail"]["message"] == "invalid value for titulo"


def test_unknown_title_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/recomendaciones/Toy Storie")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"]["message"] == "title 'Toy Storie' not found in the movies catalogue"
    assert body["detail"]["suggestions"][:2] == ["Toy Story", "Toy Story 2"]
    response = client.get("/get_recommendation/Toy Storie")
    assert response.status_code == 404
    assert response.json() == body


def test_unknown_year_is_404(client: TestClient) -> None:
    response = client.get("/recomendaciones/Titanic", params={"anio": 1990})
    assert response.status_code == 404
    assert response.json()["detail"]["years"] == [1953, 1997]


def test_openapi_documents_the_spanish_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/recomendaciones/{titulo}"]["get"]["parameters"]}
    assert params == {"titulo", "k", "anio", "catalogo"}
    schema = spec["components"]["schemas"]["Recomendaciones"]
    assert set(schema["properties"]) == {"titulo", "catalogo", "otras", "recomendaciones"}


def test_missing_artifact_fails_startup_naming_the_file(tmp_path: Path) -> None:
    app = create_app(Settings(model_dir=tmp_path))
    with (
        pytest.raises(
            FileNotFoundError,
            match=r"movies/neighbors\.npy not found: run `uv run train movies` first",
        ),
        TestClient(app),
    ):
        pass


@pytest.mark.parametrize("path", ["/recomendaciones/Face/Off", "/recomendaciones/Face%2FOff"])
def test_titles_with_a_slash_resolve(client: TestClient, path: str) -> None:
    response = client.get(path, params={"k": 1})
    assert response.status_code == 200
    assert response.json()["titulo"]["titulo"] == "Face/Off"


def test_overlong_title_is_422(client: TestClient) -> None:
    response = client.get("/recomendaciones/" + "a" * 301)
    assert response.status_code == 422
    assert response.json()["detail"]["errors"][0]["type"] == "string_too_long"
    assert client.get("/recomendaciones/" + "a" * 300).status_code == 404

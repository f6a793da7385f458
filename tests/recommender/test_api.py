"""API contract of the recommender through the real app (lifespan run): shapes, statuses and bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from cinemateca_common.health import ServiceHealth
from cinemateca_common.text import fold_title
from cinemateca_common.web import MAX_ECHO
from recommender.app import create_app
from recommender.config import Settings
from recommender.model import Recommender
from tests.support.errors import invalid_value, parse_error
from tests.support.startup import failed_start


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
    # The shared contract the gateway parses, served without the query service's fields.
    assert ServiceHealth.model_validate(body).model_dump(exclude_none=True) == body


def test_startup_fails_with_one_clear_line_when_an_artifact_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    errors = failed_start(create_app(Settings(model_dir=tmp_path)), "recommender.app", caplog)
    assert len(errors) == 1
    assert errors[0].startswith("cannot start: ")


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


K_RANGE = "un número entero entre 1 y 50"
NOT_BLANK = "un texto de hasta 300 caracteres con al menos un carácter que no sea un espacio"


@pytest.mark.parametrize(
    ("url", "params", "body"),
    [
        ("/recomendaciones/Toy Story", {"k": 0}, parse_error("k", "0", K_RANGE)),
        ("/recomendaciones/Toy Story", {"k": 51}, parse_error("k", "51", K_RANGE)),
        ("/recomendaciones/Toy Story", {"k": "cinco"}, parse_error("k", "cinco", K_RANGE)),
        ("/titulos/862/recomendaciones", {"k": "abc"}, parse_error("k", "abc", K_RANGE)),
        (
            "/recomendaciones/Toy Story",
            {"catalogo": "netflix"},
            invalid_value("un catálogo", "catalogo", "netflix", ["movies", "streaming"]),
        ),
        (
            "/get_recommendation/Toy Story",
            {"catalogo": "series"},
            invalid_value("un catálogo", "catalogo", "series", ["movies", "streaming"]),
        ),
        (
            "/recomendaciones/Toy Story",
            {"catalogo": "peliculas"},
            invalid_value("un catálogo", "catalogo", "peliculas", ["movies", "streaming"]),
        ),
        ("/recomendaciones/%20%20", {}, parse_error("titulo", "  ", NOT_BLANK)),
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
    assert response.json()["detail"]["message"] == (
        f"El parámetro 'titulo' debe ser {NOT_BLANK}; se recibió ' '."
    )


def test_unknown_title_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/recomendaciones/Toy Storie")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"]["message"] == "No hay ningún título 'Toy Storie' en el catálogo movies."
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
    assert response.json()["detail"]["message"] == (
        f"El parámetro 'titulo' debe ser {NOT_BLANK}; se recibió '{'a' * MAX_ECHO}…'."
    )  # the echoed input is cut short
    assert client.get("/recomendaciones/" + "a" * 300).status_code == 404


def test_recommendations_by_id_match_those_by_title(client: TestClient) -> None:
    by_title = client.get("/recomendaciones/Titanic", params={"k": 3}).json()
    by_id = client.get("/titulos/597/recomendaciones", params={"k": 3})
    assert by_id.status_code == 200
    assert by_id.json() == by_title
    older = client.get("/titulos/16535/recomendaciones").json()
    assert older["titulo"] == {"titulo": "Titanic", "anio": 1953, "id": 16535}
    assert older["otras"] == [{"titulo": "Titanic", "anio": 1997, "id": 597}]
    show = client.get("/titulos/NS3686/recomendaciones", params={"catalogo": "streaming"})
    assert show.json()["titulo"]["id"] == "ns3686"


def test_unknown_id_is_404_in_spanish(client: TestClient) -> None:
    response = client.get("/titulos/ns3686/recomendaciones")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "No hay ningún título con id 'ns3686' en el catálogo movies.",
            "suggestions": [],
        }
    }


@pytest.mark.parametrize(
    "title",
    [
        "반드시 잡는다",
        "يوم الدين",
        "忍者ハットリくん",
        "the memphis belle: a story of a\r\nflying fortress",
    ],
)
def test_titles_in_other_scripts_and_with_line_breaks_resolve(
    client: TestClient, title: str
) -> None:
    response = client.get(f"/recomendaciones/{quote(title)}", params={"catalogo": "streaming"})
    assert response.status_code == 200
    # Shown in the original spelling (the streaming display copy), asked in any case.
    assert fold_title(response.json()["titulo"]["titulo"]) == fold_title(title)


@pytest.mark.parametrize("edition", ["movies", "streaming"])
def test_every_catalogue_title_resolves_by_its_title_and_its_id(
    request: pytest.FixtureRequest, edition: str
) -> None:
    """Each title, asked by its own name and year, resolves to a title of that name and year; each
    id resolves to its own title."""
    model: Recommender = request.getfixturevalue(edition)
    lost = []
    for i, title in enumerate(model.titles):
        resolved = model.resolve(title, model.years[i])
        same_name = fold_title(model.titles[resolved]) == fold_title(title)
        same_year = model.years[resolved] == model.years[i]
        if not (same_name and same_year and model.index_of(str(model.ids[i])) == i):
            lost.append(title)
    assert lost == []


def test_documented_422_is_the_real_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(spec)
    documented = spec["paths"]["/titulos/{id}/recomendaciones"]["get"]["responses"]["422"]
    content = documented["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    real = client.get("/titulos/862/recomendaciones", params={"k": "abc"})
    assert real.json() == content["example"]

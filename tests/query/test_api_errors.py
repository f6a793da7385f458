"""Bad input on every route: exact status and JSON body, never a 500, never NaN."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.query.conftest import MONTHS, PLATFORMS, WEEKDAYS
from tests.support.errors import invalid_value, parse_error


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/peliculas_mes/brumario",
            invalid_value("un mes en castellano", "mes", "brumario", MONTHS),
        ),
        (
            "/peliculas_mes/13",
            invalid_value("un mes en castellano", "mes", "13", MONTHS),
        ),
        (
            "/peliculas_dia/monday",
            invalid_value("un día de la semana en castellano", "dia", "monday", WEEKDAYS),
        ),
        (
            "/get_count_platform/hbo",
            invalid_value("una plataforma", "platform", "hbo", PLATFORMS),
        ),
        (
            "/get_max_duration/2020/hbo/min",
            invalid_value("una plataforma", "platform", "hbo", PLATFORMS),
        ),
        (
            "/get_max_duration/2020/netflix/hours",
            invalid_value("un tipo de duración", "duration_type", "hours", ["min", "season"]),
        ),
        (
            "/get_score_count/peacock/3.5/2020",
            invalid_value("una plataforma", "platform", "peacock", PLATFORMS),
        ),
        (
            "/get_actor/hbo/2020",
            invalid_value("una plataforma", "platform", "hbo", PLATFORMS),
        ),
        (
            "/prod_per_county/documental/argentina/2018",
            invalid_value(
                "un tipo de título",
                "tipo",
                "documental",
                ["movie", "pelicula", "tv show", "serie"],
            ),
        ),
    ],
)
def test_unknown_closed_set_value_is_422_with_valid_values(
    client: TestClient, url: str, body: dict[str, Any]
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json() == body


def test_unknown_rating_is_422_with_the_ratings_in_the_data(client: TestClient) -> None:
    response = client.get("/get_contents/xyz")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["message"].startswith(
        "El parámetro 'rating' no admite 'xyz': debe ser una clasificación de las que aparecen en "
        "los catálogos, una de: "
    )
    assert detail["parameter"] == "rating"
    assert {"tv-ma", "pg-13", "g", "13+"} <= set(detail["valid_values"])


INT = "un número entero"
FINITE = "un número finito"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/get_max_duration/dosmil/netflix/min", parse_error("year", "dosmil", INT)),
        ("/get_score_count/netflix/alto/2020", parse_error("scored", "alto", FINITE)),
        ("/get_score_count/netflix/3.5/veinte", parse_error("year", "veinte", INT)),
        ("/get_score_count/netflix/nan/2020", parse_error("scored", "nan", FINITE)),
        ("/get_score_count/netflix/inf/2020", parse_error("scored", "inf", FINITE)),
        ("/get_actor/netflix/2020.5", parse_error("year", "2020.5", INT)),
        ("/prod_per_county/movie/argentina/x", parse_error("anio", "x", INT)),
        ("/retorno/titanic?anio=mil", parse_error("anio", "mil", INT)),
        ("/buscar?q=x&por_pagina=abc", parse_error("por_pagina", "abc", INT + " entre 1 y 50")),
        ("/buscar?q=x&por_pagina=51", parse_error("por_pagina", "51", INT + " entre 1 y 50")),
        ("/buscar?q=x&pagina=0", parse_error("pagina", "0", INT + " mayor o igual que 1")),
        ("/buscar?q=", parse_error("q", "", "un texto de 1 a 200 caracteres")),
    ],
)
def test_unparseable_or_out_of_range_value_is_422_in_a_spanish_sentence(
    client: TestClient, url: str, body: dict[str, Any]
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json() == body


def test_missing_parameter_and_several_errors_are_each_one_sentence(client: TestClient) -> None:
    missing = client.get("/buscar").json()["detail"]
    assert missing["message"] == (
        "Falta el parámetro obligatorio 'q': debe ser un texto de 1 a 200 caracteres."
    )
    assert (missing["parameter"], missing["value"]) == ("q", None)
    both = client.get("/buscar", params={"q": "x", "pagina": "-1", "por_pagina": "0"}).json()
    assert [e["parameter"] for e in both["detail"]["errors"]] == ["pagina", "por_pagina"]
    assert both["detail"]["message"] == " ".join(e["message"] for e in both["detail"]["errors"])


def test_no_pydantic_english_reaches_a_client(client: TestClient) -> None:
    urls = ["/buscar", "/buscar?q=" + "x" * 201, "/get_actor/netflix/x", "/retorno/a?anio=1.5"]
    for url in urls:
        text = client.get(url).text
        assert "Input should" not in text, url
        assert "String should" not in text, url
        assert "Field required" not in text, url


@pytest.mark.parametrize(
    ("url", "message", "suggestion"),
    [
        (
            "/franquicia/Toy Stori",
            "No hay ninguna franquicia llamada 'Toy Stori'.",
            "Toy Story Collection",
        ),
        (
            "/productoras/pixar",
            "No hay ninguna productora llamada 'pixar'.",
            "Pixar Animation Studios",
        ),
        (
            "/productoras/Paramount Pictres",
            "No hay ninguna productora llamada 'Paramount Pictres'.",
            "Paramount Pictures",
        ),
        ("/retorno/Titanik", "No hay ninguna película titulada 'Titanik'.", "Titanic"),
        ("/peliculas_pais/Francie", "No hay ningún país llamado 'Francie'.", "France"),
        ("/peliculas_pais/Alemanya", "No hay ningún país llamado 'Alemanya'.", "Alemania"),
        (
            "/prod_per_county/movie/argentinia/2018",
            "No hay ningún país llamado 'argentinia'.",
            "argentina",
        ),
    ],
)
def test_unknown_name_is_404_with_suggestions(
    client: TestClient, url: str, message: str, suggestion: str
) -> None:
    response = client.get(url)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert set(detail) == {"message", "suggestions"}
    assert detail["message"] == message
    assert detail["suggestions"][0] == suggestion
    assert len(detail["suggestions"]) <= 5


def test_unrelated_name_gets_no_suggestions(client: TestClient) -> None:
    response = client.get("/peliculas_pais/Narnia")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {"message": "No hay ningún país llamado 'Narnia'.", "suggestions": []}
    }


def test_unknown_path_is_404_json(client: TestClient) -> None:
    response = client.get("/peliculas_año/enero")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {"message": "No existe la ruta /peliculas_año/enero: las rutas están en /docs."}
    }
    response = client.post("/peliculas_mes/enero")
    assert response.status_code == 405
    assert response.json() == {
        "detail": {"message": "El método POST no está permitido en /peliculas_mes/enero."}
    }


def _finite_everywhere(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_everywhere(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite_everywhere(v) for v in value)
    return True


def test_no_nan_or_inf_in_any_answer(client: TestClient) -> None:
    urls = [
        "/franquicia/James Bond",
        "/productoras/Warner Bros.",
        "/retorno/Hamlet",
        "/retorno/Jumanji",
        "/get_score_count/netflix/-1000000/2020",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        text = response.text
        assert "NaN" not in text
        assert "Infinity" not in text
        assert _finite_everywhere(json.loads(text))

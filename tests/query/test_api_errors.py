"""Bad input on every route: exact status and JSON body, never a 500, never NaN."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.query.conftest import MONTHS, PLATFORMS, WEEKDAYS


def _invalid(message: str, parameter: str, value: str, valid: list[Any]) -> dict[str, Any]:
    return {
        "detail": {
            "message": message,
            "parameter": parameter,
            "value": value,
            "valid_values": valid,
        }
    }


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/peliculas_mes/brumario",
            _invalid(
                "unknown month 'brumario': use a Spanish month name", "mes", "brumario", MONTHS
            ),
        ),
        (
            "/peliculas_mes/13",
            _invalid("unknown month '13': use a Spanish month name", "mes", "13", MONTHS),
        ),
        (
            "/peliculas_dia/monday",
            _invalid(
                "unknown weekday 'monday': use a Spanish weekday name", "dia", "monday", WEEKDAYS
            ),
        ),
        (
            "/get_count_platform/hbo",
            _invalid("unknown platform 'hbo'", "platform", "hbo", PLATFORMS),
        ),
        (
            "/get_max_duration/2020/hbo/min",
            _invalid("unknown platform 'hbo'", "platform", "hbo", PLATFORMS),
        ),
        (
            "/get_max_duration/2020/netflix/hours",
            _invalid("unknown duration type 'hours'", "duration_type", "hours", ["min", "season"]),
        ),
        (
            "/get_score_count/peacock/3.5/2020",
            _invalid("unknown platform 'peacock'", "platform", "peacock", PLATFORMS),
        ),
        (
            "/get_actor/hbo/2020",
            _invalid("unknown platform 'hbo'", "platform", "hbo", PLATFORMS),
        ),
        (
            "/prod_per_county/documental/argentina/2018",
            _invalid(
                "unknown title type 'documental'",
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
    assert detail["message"] == "unknown rating 'xyz'"
    assert detail["parameter"] == "rating"
    assert {"tv-ma", "pg-13", "g", "13+"} <= set(detail["valid_values"])


def _parse_error(name: str, kind: str, msg: str) -> dict[str, Any]:
    return {
        "detail": {
            "message": f"invalid value for {name}",
            "errors": [{"loc": ["path", name], "msg": msg, "type": kind}],
        }
    }


INT_MSG = "Input should be a valid integer, unable to parse string as an integer"
FLOAT_MSG = "Input should be a valid number, unable to parse string as a number"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/get_max_duration/dosmil/netflix/min", _parse_error("year", "int_parsing", INT_MSG)),
        ("/get_score_count/netflix/alto/2020", _parse_error("scored", "float_parsing", FLOAT_MSG)),
        ("/get_score_count/netflix/3.5/veinte", _parse_error("year", "int_parsing", INT_MSG)),
        (
            "/get_score_count/netflix/nan/2020",
            _parse_error("scored", "finite_number", "Input should be a finite number"),
        ),
        (
            "/get_score_count/netflix/inf/2020",
            _parse_error("scored", "finite_number", "Input should be a finite number"),
        ),
        ("/get_actor/netflix/2020.5", _parse_error("year", "int_parsing", INT_MSG)),
        ("/prod_per_county/movie/argentina/x", _parse_error("anio", "int_parsing", INT_MSG)),
    ],
)
def test_non_numeric_year_or_score_is_422(
    client: TestClient, url: str, body: dict[str, Any]
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json() == body


def test_non_numeric_anio_query_is_422(client: TestClient) -> None:
    response = client.get("/retorno/titanic", params={"anio": "mil"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": {
            "message": "invalid value for anio",
            "errors": [{"loc": ["query", "anio"], "msg": INT_MSG, "type": "int_parsing"}],
        }
    }


@pytest.mark.parametrize(
    ("url", "message", "suggestion"),
    [
        ("/franquicia/Toy Stori", "no collection named 'Toy Stori'", "Toy Story Collection"),
        ("/productoras/pixar", "no production company named 'pixar'", "Pixar Animation Studios"),
        (
            "/productoras/Paramount Pictres",
            "no production company named 'Paramount Pictres'",
            "Paramount Pictures",
        ),
        ("/retorno/Titanik", "no movie titled 'Titanik'", "Titanic"),
        ("/peliculas_pais/Francie", "no country named 'Francie'", "France"),
        ("/peliculas_pais/Alemanya", "no country named 'Alemanya'", "Alemania"),
        ("/prod_per_county/movie/argentinia/2018", "no country named 'argentinia'", "argentina"),
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
        "detail": {"message": "no country named 'Narnia'", "suggestions": []}
    }


def test_unknown_path_is_404_json(client: TestClient) -> None:
    response = client.get("/peliculas_año/enero")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


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

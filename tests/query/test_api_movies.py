"""Movies-edition routes on the real data: status, shape and one value per route.

The values for every input live in ``test_movies.py`` (without HTTP); the 404 suggestions and the
422 bodies of every route are in ``test_api_errors.py``.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.query.conftest import movies_from_country
from tests.support.raw import RawMovie


def test_raw_sample_drop_rules_match_the_published_row_count(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    # 5,000 raw rows: one duplicate id (105045) and four without a release date are dropped.
    assert len(raw_movies) == 4995
    assert client.get("/health").json()["rows"]["movies"] == len(raw_movies)


def test_peliculas_mes(client: TestClient, raw_movies: list[RawMovie]) -> None:
    expected = sum(1 for m in raw_movies if m.released.month == 9)
    response = client.get("/peliculas_mes/Setiembre")
    assert response.status_code == 200
    assert response.json() == {"mes": "septiembre", "cantidad": expected}


def test_peliculas_dia(client: TestClient, raw_movies: list[RawMovie]) -> None:
    expected = sum(1 for m in raw_movies if m.released.weekday() == 5)
    response = client.get("/peliculas_dia/Sábado")
    assert response.status_code == 200
    assert response.json() == {"dia": "sábado", "cantidad": expected}


def test_franquicia_toy_story_figures(client: TestClient) -> None:
    # The sample holds Toy Story (1995) and Toy Story 2 (1999): 373,554,033 + 497,366,869.
    response = client.get("/franquicia/Toy Story")
    assert response.status_code == 200
    assert response.json() == {
        "franquicia": "Toy Story Collection",
        "cantidad": 2,
        "ganancia_total": 870920902.0,
        "ganancia_promedio": 435460451.0,
    }


def test_peliculas_pais(client: TestClient, raw_movies: list[RawMovie]) -> None:
    expected = movies_from_country(raw_movies, "France")
    assert expected > 0
    response = client.get("/peliculas_pais/francia")
    assert response.status_code == 200
    assert response.json() == {"pais": "France", "cantidad": expected}


def test_productoras(client: TestClient, raw_movies: list[RawMovie]) -> None:
    films = [m for m in raw_movies if "Walt Disney" in m.companies]
    response = client.get("/productoras/WALT DISNEY")
    assert response.status_code == 200
    assert response.json() == {
        "productora": "Walt Disney",
        "ganancia_total": pytest.approx(sum(m.revenue for m in films)),
        "cantidad": len(films),
    }


def test_retorno(client: TestClient, raw_movies: list[RawMovie]) -> None:
    (toy_story,) = [m for m in raw_movies if m.title == "Toy Story"]
    response = client.get("/retorno/toy story")
    assert response.status_code == 200
    assert response.json() == {
        "pelicula": "Toy Story",
        "inversion": toy_story.budget,
        "ganancia": toy_story.revenue,
        "ganacia": toy_story.revenue,
        "retorno": pytest.approx(toy_story.revenue / toy_story.budget),
        "anio": 1995,
        "otras": [],
    }


def test_retorno_anio_without_match_lists_the_years(client: TestClient) -> None:
    response = client.get("/retorno/titanic", params={"anio": 2000})
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "No hay ninguna película titulada 'Titanic' estrenada en 2000; se estrenó "
            "en: 1953, 1997.",
            "suggestions": [],
            "available_years": [1953, 1997],
        }
    }

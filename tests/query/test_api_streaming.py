"""Streaming-edition routes on the real data: status, shape and one value per route.

The values for every input live in ``test_streaming.py`` (without HTTP); the 404 suggestions and
the 422 bodies of every route are in ``test_api_errors.py``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from query.streaming import StreamingStats
from tests.query.conftest import scored_above, titles_from_country
from tests.support.raw import RawTitle


def test_get_max_duration(client: TestClient, streaming_stats: StreamingStats) -> None:
    # The values for every year and platform are checked in test_streaming.py.
    expected = streaming_stats.longest_movie(2020, "netflix", "min")
    response = client.get("/get_max_duration/2020/NETFLIX/min")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_max_duration_seasons_are_not_movies(client: TestClient) -> None:
    response = client.get("/get_max_duration/2020/netflix/season")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "Ninguna película de netflix estrenada en 2020 tiene su duración en "
            "temporadas (las películas se miden en minutos).",
            "suggestions": [],
        }
    }


def test_get_score_count(client: TestClient, raw_titles: list[RawTitle]) -> None:
    expected = scored_above(raw_titles, "netflix", 3.5, 2020)
    assert expected > 0
    response = client.get("/get_score_count/netflix/3.5/2020")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_count_platform(client: TestClient) -> None:
    # Movies on Netflix in the raw catalogue (README of the shared data and its SOURCES.md).
    response = client.get("/get_count_platform/Netflix")
    assert response.status_code == 200
    assert response.json() == 6131


def test_get_actor(client: TestClient) -> None:
    # 35 Amazon titles of 2021 list the placeholder cast "1" (or "1, 2, 3"): counted naively, "1"
    # would be the top actor of that year.
    response = client.get("/get_actor/amazon/2021")
    assert response.status_code == 200
    assert response.json() == "om nom"


def test_get_actor_hulu_has_no_cast(client: TestClient, raw_titles: list[RawTitle]) -> None:
    assert not any(t.cast for t in raw_titles if t.platform == "hulu")
    response = client.get("/get_actor/hulu/2020")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "hulu no tiene datos de reparto: su catálogo no lista actores.",
            "suggestions": [],
        }
    }


def test_prod_per_county(client: TestClient, raw_titles: list[RawTitle]) -> None:
    expected = titles_from_country(raw_titles, "movie", "argentina", 2018)
    assert expected > 0
    response = client.get("/prod_per_county/pelicula/AR/2018")
    assert response.status_code == 200
    assert response.json() == {"pais": "argentina", "anio": 2018, "pelicula": expected}


def test_get_contents(client: TestClient, raw_titles: list[RawTitle]) -> None:
    expected = sum(1 for t in raw_titles if t.rating == "tv-ma")
    assert expected > 0
    response = client.get("/get_contents/TV-MA")
    assert response.status_code == 200
    assert response.json() == expected

"""Streaming-edition routes on the real data; every expected value is computed here from the raw files."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from tests.query.conftest import PLATFORMS, RawTitle


def _longest(raw_titles: list[RawTitle], year: int, platform: str, kind: str) -> str | None:
    movies = [
        t
        for t in raw_titles
        if t.type == "movie"
        and t.platform == platform
        and t.release_year == year
        and t.duration is not None
        and t.duration[1] == kind
    ]
    if not movies:
        return None
    best = max(t.duration[0] for t in movies if t.duration is not None)
    return min(t.title for t in movies if t.duration is not None and t.duration[0] == best)


@pytest.mark.parametrize(
    ("year", "platform"),
    [(2020, "netflix"), (2018, "netflix"), (2021, "amazon"), (2019, "disney"), (2015, "hulu")],
)
def test_get_max_duration(
    client: TestClient, raw_titles: list[RawTitle], year: int, platform: str
) -> None:
    expected = _longest(raw_titles, year, platform, "min")
    assert expected is not None
    response = client.get(f"/get_max_duration/{year}/{platform.upper()}/min")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_max_duration_every_year_of_netflix(
    client: TestClient, raw_titles: list[RawTitle]
) -> None:
    years = {t.release_year for t in raw_titles if t.platform == "netflix" and t.type == "movie"}
    for year in sorted(years):
        assert client.get(f"/get_max_duration/{year}/netflix/min").json() == _longest(
            raw_titles, year, "netflix", "min"
        )


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


def test_get_max_duration_year_without_titles_is_404(client: TestClient) -> None:
    response = client.get("/get_max_duration/1800/netflix/min")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "Ninguna película de netflix estrenada en 1800 tiene su duración en "
            "minutos.",
            "suggestions": [],
        }
    }


@pytest.mark.parametrize(
    ("platform", "scored", "year"),
    [("netflix", 3.5, 2020), ("amazon", 3.6, 2021), ("disney", 3.4, 2019), ("hulu", 3.55, 2017)],
)
def test_get_score_count(
    client: TestClient, raw_titles: list[RawTitle], platform: str, scored: float, year: int
) -> None:
    expected = sum(
        1
        for t in raw_titles
        if t.platform == platform
        and t.type == "movie"
        and t.release_year == year
        and t.score is not None
        and t.score > scored
    )
    assert expected > 0
    response = client.get(f"/get_score_count/{platform}/{scored}/{year}")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_score_count_is_strictly_greater(
    client: TestClient, raw_titles: list[RawTitle]
) -> None:
    movie = next(
        t
        for t in raw_titles
        if t.platform == "netflix" and t.type == "movie" and t.score is not None
    )
    threshold = movie.score
    assert threshold is not None
    above = sum(
        1
        for t in raw_titles
        if t.platform == "netflix"
        and t.type == "movie"
        and t.release_year == movie.release_year
        and t.score is not None
        and t.score > threshold
    )
    url = f"/get_score_count/netflix/{threshold!r}/{movie.release_year}"
    assert client.get(url).json() == above


def test_get_score_count_year_without_titles_is_zero(client: TestClient) -> None:
    response = client.get("/get_score_count/netflix/3/1800")
    assert response.status_code == 200
    assert response.json() == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_get_count_platform(client: TestClient, raw_titles: list[RawTitle], platform: str) -> None:
    expected = sum(1 for t in raw_titles if t.platform == platform and t.type == "movie")
    response = client.get(f"/get_count_platform/{platform.title()}")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_count_platform_known_figures(client: TestClient) -> None:
    # Movies per platform in the raw catalogues (README of the shared data and its SOURCES.md).
    counts = [client.get(f"/get_count_platform/{p}").json() for p in PLATFORMS]
    assert counts == [7814, 1052, 1484, 6131]


def _top_actor(raw_titles: list[RawTitle], platform: str, year: int) -> str:
    counter: Counter[str] = Counter()
    for t in raw_titles:
        if t.platform == platform and t.release_year == year:
            counter.update(set(t.cast))
    best = max(counter.values())
    return min(name for name, n in counter.items() if n == best)


@pytest.mark.parametrize(
    ("platform", "year"),
    [("netflix", 2020), ("netflix", 2018), ("amazon", 2021), ("amazon", 2014), ("disney", 2019)],
)
def test_get_actor(
    client: TestClient, raw_titles: list[RawTitle], platform: str, year: int
) -> None:
    response = client.get(f"/get_actor/{platform}/{year}")
    assert response.status_code == 200
    assert response.json() == _top_actor(raw_titles, platform, year)


def test_get_actor_skips_digit_placeholders(client: TestClient, raw_titles: list[RawTitle]) -> None:
    # 35 Amazon titles of 2021 list the placeholder cast "1" (or "1, 2, 3"): counted naively, "1"
    # would be the top actor of that year.
    expected = _top_actor(raw_titles, "amazon", 2021)
    assert expected == "om nom"
    assert client.get("/get_actor/amazon/2021").json() == expected


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


def test_get_actor_year_without_titles_is_404(client: TestClient) -> None:
    response = client.get("/get_actor/netflix/1800")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "Ningún título de netflix estrenado en 1800 lista su reparto.",
            "suggestions": [],
        }
    }


def _country_count(raw_titles: list[RawTitle], kind: str, country: str, year: int) -> int:
    return sum(
        1
        for t in raw_titles
        if t.type == kind and t.release_year == year and country in t.countries
    )


@pytest.mark.parametrize(
    "case",
    [
        ("movie", "movie", "argentina", "argentina", 2018),
        ("pelicula", "movie", "AR", "argentina", 2018),
        ("película", "movie", "India", "india", 2019),
        ("serie", "tv show", "Estados Unidos", "united states", 2019),
        ("tv show", "tv show", "us", "united states", 2019),
        ("TV Show", "tv show", "Reino Unido", "united kingdom", 2020),
        ("movie", "movie", "Japón", "japan", 2017),
        ("movie", "movie", "Corea del Sur", "south korea", 2019),
        ("movie", "movie", "nigeria", "nigeria", 2019),
        ("movie", "movie", "NG", "nigeria", 2019),
    ],
)
def test_prod_per_county(
    client: TestClient, raw_titles: list[RawTitle], case: tuple[str, str, str, str, int]
) -> None:
    tipo, kind, typed, stored, year = case
    expected = _country_count(raw_titles, kind, stored, year)
    assert expected > 0
    response = client.get(f"/prod_per_county/{tipo}/{typed}/{year}")
    assert response.status_code == 200
    assert response.json() == {"pais": stored, "anio": year, "pelicula": expected}


def test_prod_per_county_niger_is_not_nigeria(
    client: TestClient, raw_titles: list[RawTitle]
) -> None:
    substring = sum(
        1
        for t in raw_titles
        if t.type == "movie" and t.release_year == 2019 and any("niger" in c for c in t.countries)
    )
    assert substring > 0
    assert _country_count(raw_titles, "movie", "niger", 2019) == 0
    assert client.get("/prod_per_county/movie/Niger/2019").json() == {
        "pais": "niger",
        "anio": 2019,
        "pelicula": 0,
    }


def test_prod_per_county_year_without_titles_is_zero(client: TestClient) -> None:
    assert client.get("/prod_per_county/movie/argentina/1800").json() == {
        "pais": "argentina",
        "anio": 1800,
        "pelicula": 0,
    }


@pytest.mark.parametrize(
    ("typed", "rating"),
    [("TV-MA", "tv-ma"), ("pg-13", "pg-13"), ("13+", "13+"), ("TV-Y7-FV", "tv-y7-fv")],
)
def test_get_contents(
    client: TestClient, raw_titles: list[RawTitle], typed: str, rating: str
) -> None:
    expected = sum(1 for t in raw_titles if t.rating == rating)
    assert expected > 0
    response = client.get(f"/get_contents/{typed}")
    assert response.status_code == 200
    assert response.json() == expected


def test_get_contents_missing_rating_is_g(client: TestClient, raw_titles: list[RawTitle]) -> None:
    # The ETL stores a missing rating (or one that held a duration) as "g".
    expected = sum(1 for t in raw_titles if t.rating in ("g", ""))
    assert client.get("/get_contents/G").json() == expected

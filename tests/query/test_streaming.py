"""StreamingStats without HTTP: a hand-written catalogue for ties, placeholders and traps, then the
real data."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import pytest

from cinemateca_common.errors import InvalidValueError, NotFoundError
from query.streaming import StreamingStats, parse_platform, parse_tipo
from tests.query.conftest import PLATFORMS, scored_above, titles_from_country
from tests.support.raw import RawTitle


def _title(
    platform: str,
    kind: str,
    title: str,
    year: int,
    *,
    duration: tuple[int, str] | None = None,
    score: float | None = None,
    cast: tuple[str, ...] = (),
    country: tuple[str, ...] = (),
    rating: str = "g",
) -> dict[str, Any]:
    return {
        "platform": platform,
        "type": kind,
        "title": title,
        "cast": list(cast),
        "country": list(country),
        "release_year": year,
        "rating": rating,
        "duration_int": None if duration is None else duration[0],
        "duration_type": None if duration is None else duration[1],
        "score_mean": score,
    }


@pytest.fixture(scope="module")
def small() -> StreamingStats:
    rows = [
        _title("netflix", "movie", "zeta", 2020, duration=(120, "min"), score=3.6,
               cast=("ana", "bob"), country=("niger",), rating="tv-ma"),
        _title("netflix", "movie", "alfa", 2020, duration=(120, "min"), score=3.5,
               cast=("bob", "ana"), country=("nigeria",), rating="TV-MA"),
        _title("netflix", "movie", "medio", 2020, duration=(90, "min"), score=None,
               cast=("1", "2", "3"), country=("united states", "nigeria")),
        _title("netflix", "movie", "placeholder", 2020, cast=("1",)),
        _title("netflix", "movie", "placeholder 2", 2020, cast=("1",)),
        _title("netflix", "tv show", "serie larga", 2020, duration=(9, "season"),
               cast=("carla",), country=("argentina",)),
        _title("hulu", "movie", "sin reparto", 2020, duration=(80, "min"), score=3.9),
        _title("disney", "tv show", "solo serie", 2019, cast=("dan",)),
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["duration_int"] = frame["duration_int"].astype("Int32")
    return StreamingStats(frame)


def test_longest_movie_ties_go_to_the_first_title(small: StreamingStats) -> None:
    assert small.longest_movie(2020, "Netflix", "min") == "alfa"
    assert small.longest_movie(2020, "hulu", "minutes") == "sin reparto"


def test_longest_movie_ignores_tv_shows(small: StreamingStats) -> None:
    with pytest.raises(NotFoundError) as error:
        small.longest_movie(2020, "netflix", "seasons")
    assert error.value.detail["message"] == (
        "Ninguna película de netflix estrenada en 2020 tiene su duración en temporadas (las "
        "películas se miden en minutos)."
    )


def test_score_count_is_strict_and_skips_missing_scores(small: StreamingStats) -> None:
    assert small.movies_scored_above("netflix", 3.5, 2020) == 1
    assert small.movies_scored_above("netflix", 3.49, 2020) == 2
    assert small.movies_scored_above("netflix", 0, 2020) == 2
    assert small.movies_scored_above("netflix", 0, 1999) == 0


def test_platform_movie_counts(small: StreamingStats) -> None:
    assert small.movies_on_platform("netflix") == 5
    assert small.movies_on_platform("DISNEY+") == 0
    assert small.movies_on_platform("amazon prime") == 0


def test_top_actor_ties_alphabetical_and_placeholders_skipped(small: StreamingStats) -> None:
    # "1" appears in three titles, ana and bob in two: placeholders are not actors, ana < bob.
    assert small.top_actor("netflix", 2020) == "ana"
    assert small.top_actor("disney", 2019) == "dan"


def test_top_actor_without_cast(small: StreamingStats) -> None:
    with pytest.raises(NotFoundError) as hulu:
        small.top_actor("hulu", 2020)
    assert hulu.value.detail == {
        "message": "hulu no tiene datos de reparto: su catálogo no lista actores.",
        "suggestions": [],
    }
    with pytest.raises(NotFoundError):
        small.top_actor("disney", 2020)


def test_country_per_type_and_year_whole_element(small: StreamingStats) -> None:
    assert small.titles_from_country("movie", "Niger", 2020).model_dump() == {
        "pais": "niger",
        "anio": 2020,
        "pelicula": 1,
    }
    assert small.titles_from_country("pelicula", "NG", 2020).pelicula == 2
    assert small.titles_from_country("movie", "Estados Unidos", 2020).model_dump() == {
        "pais": "united states",
        "anio": 2020,
        "pelicula": 1,
    }
    assert small.titles_from_country("serie", "AR", 2020).pelicula == 1
    assert small.titles_from_country("movie", "AR", 2020).pelicula == 0
    # A known country absent from the catalogues is 0, named by the table in lower case.
    assert small.titles_from_country("movie", "Francia", 2020).model_dump() == {
        "pais": "france",
        "anio": 2020,
        "pelicula": 0,
    }


def test_ratings_case_insensitive(small: StreamingStats) -> None:
    assert small.titles_rated("TV-MA") == 2
    assert small.titles_rated("g") == 6
    with pytest.raises(InvalidValueError) as error:
        small.titles_rated("pg")
    assert error.value.detail["valid_values"] == ["g", "tv-ma"]


def test_parsers() -> None:
    assert parse_platform(" NETFLIX ") == "netflix"
    assert parse_tipo("Película") == "movie"
    assert parse_tipo("TV Show") == "tv show"
    assert parse_tipo("series") == "tv show"
    with pytest.raises(InvalidValueError) as error:
        parse_platform("hbo max")
    assert error.value.detail == {
        "message": "El parámetro 'platform' no admite 'hbo max': debe ser una plataforma, uno "
        "de: amazon, disney, hulu, netflix.",
        "parameter": "platform",
        "value": "hbo max",
        "valid_values": PLATFORMS,
    }


# -- the real data ---------------------------------------------------------------------------


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
def test_real_longest_movie(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle], year: int, platform: str
) -> None:
    expected = _longest(raw_titles, year, platform, "min")
    assert expected is not None
    assert streaming_stats.longest_movie(year, platform.upper(), "min") == expected


def test_real_longest_movie_every_year_of_netflix(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle]
) -> None:
    years = {t.release_year for t in raw_titles if t.platform == "netflix" and t.type == "movie"}
    for year in sorted(years):
        assert streaming_stats.longest_movie(year, "netflix", "min") == _longest(
            raw_titles, year, "netflix", "min"
        )


def test_real_longest_movie_year_without_titles(streaming_stats: StreamingStats) -> None:
    with pytest.raises(NotFoundError) as error:
        streaming_stats.longest_movie(1800, "netflix", "min")
    assert error.value.status_code == 404
    assert error.value.detail == {
        "message": "Ninguna película de netflix estrenada en 1800 tiene su duración en minutos.",
        "suggestions": [],
    }


@pytest.mark.parametrize(
    ("platform", "scored", "year"),
    [("netflix", 3.5, 2020), ("amazon", 3.6, 2021), ("disney", 3.4, 2019), ("hulu", 3.55, 2017)],
)
def test_real_score_count(
    streaming_stats: StreamingStats,
    raw_titles: list[RawTitle],
    platform: str,
    scored: float,
    year: int,
) -> None:
    expected = scored_above(raw_titles, platform, scored, year)
    assert expected > 0
    assert streaming_stats.movies_scored_above(platform, scored, year) == expected


def test_real_score_count_is_strictly_greater(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle]
) -> None:
    movie = next(
        t
        for t in raw_titles
        if t.platform == "netflix" and t.type == "movie" and t.score is not None
    )
    threshold = movie.score
    assert threshold is not None
    above = scored_above(raw_titles, "netflix", threshold, movie.release_year)
    assert streaming_stats.movies_scored_above("netflix", threshold, movie.release_year) == above


def test_real_score_count_year_without_titles_is_zero(streaming_stats: StreamingStats) -> None:
    assert streaming_stats.movies_scored_above("netflix", 3, 1800) == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_real_platform_movie_counts(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle], platform: str
) -> None:
    expected = sum(1 for t in raw_titles if t.platform == platform and t.type == "movie")
    assert streaming_stats.movies_on_platform(platform.title()) == expected


def test_real_platform_movie_counts_known_figures(streaming_stats: StreamingStats) -> None:
    # Movies per platform in the raw catalogues (README of the shared data and its SOURCES.md).
    counts = [streaming_stats.movies_on_platform(p) for p in PLATFORMS]
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
def test_real_top_actor(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle], platform: str, year: int
) -> None:
    assert streaming_stats.top_actor(platform, year) == _top_actor(raw_titles, platform, year)


def test_real_top_actor_skips_digit_placeholders(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle]
) -> None:
    # 35 Amazon titles of 2021 list the placeholder cast "1" (or "1, 2, 3"): counted naively, "1"
    # would be the top actor of that year.
    expected = _top_actor(raw_titles, "amazon", 2021)
    assert expected == "om nom"
    assert streaming_stats.top_actor("amazon", 2021) == expected


def test_real_top_actor_year_without_titles(streaming_stats: StreamingStats) -> None:
    with pytest.raises(NotFoundError) as error:
        streaming_stats.top_actor("netflix", 1800)
    assert error.value.status_code == 404
    assert error.value.detail == {
        "message": "Ningún título de netflix estrenado en 1800 lista su reparto.",
        "suggestions": [],
    }


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
def test_real_country_per_type_and_year(
    streaming_stats: StreamingStats,
    raw_titles: list[RawTitle],
    case: tuple[str, str, str, str, int],
) -> None:
    tipo, kind, typed, stored, year = case
    expected = titles_from_country(raw_titles, kind, stored, year)
    assert expected > 0
    assert streaming_stats.titles_from_country(tipo, typed, year).model_dump() == {
        "pais": stored,
        "anio": year,
        "pelicula": expected,
    }


def test_real_country_niger_is_not_nigeria(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle]
) -> None:
    substring = sum(
        1
        for t in raw_titles
        if t.type == "movie" and t.release_year == 2019 and any("niger" in c for c in t.countries)
    )
    assert substring > 0
    assert titles_from_country(raw_titles, "movie", "niger", 2019) == 0
    assert streaming_stats.titles_from_country("movie", "Niger", 2019).model_dump() == {
        "pais": "niger",
        "anio": 2019,
        "pelicula": 0,
    }


def test_real_country_year_without_titles_is_zero(streaming_stats: StreamingStats) -> None:
    assert streaming_stats.titles_from_country("movie", "argentina", 1800).model_dump() == {
        "pais": "argentina",
        "anio": 1800,
        "pelicula": 0,
    }


@pytest.mark.parametrize(
    ("typed", "rating"),
    [("TV-MA", "tv-ma"), ("pg-13", "pg-13"), ("13+", "13+"), ("TV-Y7-FV", "tv-y7-fv")],
)
def test_real_ratings(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle], typed: str, rating: str
) -> None:
    expected = sum(1 for t in raw_titles if t.rating == rating)
    assert expected > 0
    assert streaming_stats.titles_rated(typed) == expected


def test_real_missing_rating_is_g(
    streaming_stats: StreamingStats, raw_titles: list[RawTitle]
) -> None:
    # The ETL stores a missing rating (or one that held a duration) as "g".
    expected = sum(1 for t in raw_titles if t.rating in ("g", ""))
    assert streaming_stats.titles_rated("G") == expected

"""StreamingStats without HTTP: a hand-written catalogue for ties, placeholders and traps."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from cinemateca_common.errors import InvalidValueError, NotFoundError
from query.streaming import StreamingStats, parse_platform, parse_tipo
from tests.query.conftest import PLATFORMS


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

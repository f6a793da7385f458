"""Query-service fixtures: the contract's names, the statistics over the real ETL output and an API client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from query.app import create_app
from query.config import Settings
from query.data import QueryData, load
from query.movies import MovieStats
from query.streaming import StreamingStats
from tests.support.raw import RawMovie, RawTitle

# The contract's names, written out rather than imported from the service: the tests check the
# service against them.
MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
PLATFORMS = ["amazon", "disney", "hulu", "netflix"]


@pytest.fixture(scope="session")
def query_data(processed_dir: Path) -> QueryData:
    """What the service loads at startup (query.data.load), built once for the tests without HTTP."""
    return load(processed_dir)


@pytest.fixture(scope="session")
def movie_stats(query_data: QueryData) -> MovieStats:
    return query_data.movies


@pytest.fixture(scope="session")
def streaming_stats(query_data: QueryData) -> StreamingStats:
    return query_data.streaming


@pytest.fixture(scope="session")
def client(processed_dir: Path) -> Iterator[TestClient]:
    """The app on the real ETL output, lifespan run once for the session."""
    with TestClient(create_app(Settings(processed_dir=processed_dir))) as test_client:
        yield test_client


# Expected counts computed from the raw-data oracle, for the statistics and their routes alike.
def movies_from_country(raw_movies: list[RawMovie], name: str) -> int:
    return sum(1 for m in raw_movies if name in m.countries)


def scored_above(raw_titles: list[RawTitle], platform: str, scored: float, year: int) -> int:
    return sum(
        1
        for t in raw_titles
        if t.platform == platform
        and t.type == "movie"
        and t.release_year == year
        and t.score is not None
        and t.score > scored
    )


def titles_from_country(raw_titles: list[RawTitle], kind: str, country: str, year: int) -> int:
    return sum(
        1
        for t in raw_titles
        if t.type == kind and t.release_year == year and country in t.countries
    )

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

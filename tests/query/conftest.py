"""Query-service fixtures: the raw files read independently of the ETL, the stats and an API client."""

from __future__ import annotations

import ast
import csv
import gzip
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from query.app import create_app
from query.config import Settings
from query.data import MOVIE_COLUMNS, TITLE_COLUMNS
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

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DURATION = re.compile(r"(\d+)\s*(min|season|seasons)", re.IGNORECASE)
PLATFORM_FILES = {
    "amazon": "amazon_prime_titles.csv.gz",
    "disney": "disney_plus_titles.csv.gz",
    "hulu": "hulu_titles.csv.gz",
    "netflix": "netflix_titles.csv.gz",
}


@dataclass(frozen=True)
class RawMovie:
    """One movie row of the raw file that the ETL keeps, read with the csv module."""

    id: int
    title: str
    released: date
    budget: float
    revenue: float
    popularity: float
    collection: str | None
    companies: list[str]
    countries: list[str]
    country_codes: list[str]


@dataclass(frozen=True)
class RawTitle:
    """One streaming title of the raw catalogues, lower-cased and split as the issue says."""

    platform: str
    show_id: str
    type: str
    title: str
    cast: list[str]
    countries: list[str]
    release_year: int
    rating: str
    duration: tuple[int, str] | None
    score: float | None


def _rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text) if text.strip() else None
    except (ValueError, SyntaxError):
        return None


def _valid_date(text: str) -> date | None:
    if not _DATE.fullmatch(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def read_raw_movies(raw_data_dir: Path) -> list[RawMovie]:
    """The ETL's documented drop rules: non-integer id, duplicate id (first kept), missing or invalid
    release_date."""
    kept: list[RawMovie] = []
    seen: set[int] = set()
    for row in _rows(raw_data_dir / "movies" / "movies_dataset.csv.gz"):
        if not row["id"].strip().isdigit():
            continue
        movie_id = int(row["id"])
        if movie_id in seen:
            continue
        seen.add(movie_id)
        released = _valid_date(row["release_date"])
        if released is None:
            continue
        collection = _literal(row["belongs_to_collection"])
        companies = _literal(row["production_companies"]) or []
        countries = _literal(row["production_countries"]) or []
        kept.append(
            RawMovie(
                id=movie_id,
                title=row["title"],
                released=released,
                budget=_number(row["budget"]),
                revenue=_number(row["revenue"]),
                popularity=_number(row["popularity"]),
                collection=collection["name"] if isinstance(collection, dict) else None,
                companies=[c["name"] for c in companies],
                countries=[c["name"] for c in countries],
                country_codes=[c["iso_3166_1"] for c in countries],
            )
        )
    return kept


def _split(cell: str) -> list[str]:
    return [part.strip().lower() for part in cell.split(",") if part.strip()]


def read_raw_titles(raw_data_dir: Path) -> list[RawTitle]:
    """The four catalogues; a duration sitting in the rating column counts as the duration."""
    folder = raw_data_dir / "streaming"
    with gzip.open(folder / "ratings_by_title.csv.gz", "rt", encoding="utf-8") as handle:
        scores = {row["movieId"]: float(row["score_mean"]) for row in csv.DictReader(handle)}
    titles: list[RawTitle] = []
    for platform, name in PLATFORM_FILES.items():
        for row in _rows(folder / name):
            duration_text = row["duration"].strip()
            rating = row["rating"].strip().lower()
            if not duration_text and _DURATION.fullmatch(rating):
                duration_text, rating = rating, ""
            match = _DURATION.fullmatch(duration_text)
            duration = None
            if match:
                duration = (int(match.group(1)), "min" if match.group(2) == "min" else "season")
            titles.append(
                RawTitle(
                    platform=platform,
                    show_id=row["show_id"],
                    type=row["type"].strip().lower(),
                    title=row["title"].lower(),
                    cast=[a for a in _split(row["cast"]) if not a.isdigit()],
                    countries=_split(row["country"]),
                    release_year=int(row["release_year"]),
                    rating=rating,
                    duration=duration,
                    score=scores.get(platform[0] + row["show_id"]),
                )
            )
    return titles


@pytest.fixture(scope="session")
def raw_movies(raw_data_dir: Path) -> list[RawMovie]:
    return read_raw_movies(raw_data_dir)


@pytest.fixture(scope="session")
def raw_titles(raw_data_dir: Path) -> list[RawTitle]:
    return read_raw_titles(raw_data_dir)


@pytest.fixture(scope="session")
def movie_stats(processed_dir: Path) -> MovieStats:
    return MovieStats(
        pd.read_parquet(processed_dir / "movies" / "movies.parquet", columns=MOVIE_COLUMNS)
    )


@pytest.fixture(scope="session")
def streaming_stats(processed_dir: Path) -> StreamingStats:
    path = processed_dir / "streaming" / "titles.parquet"
    return StreamingStats(pd.read_parquet(path, columns=TITLE_COLUMNS))


@pytest.fixture(scope="session")
def client(processed_dir: Path) -> Iterator[TestClient]:
    """The app on the real ETL output, lifespan run once for the session."""
    with TestClient(create_app(Settings(processed_dir=processed_dir))) as test_client:
        yield test_client

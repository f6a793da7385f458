"""The raw files' layout and the one raw-data oracle: the shared raw files read with the csv module,
independently of the ETL.

The ETL tests compare the ETL's counts with it and the query tests derive the expected statistics from
it. The rules are the documented ones (the ETL's module docstrings and the data README), written out
here rather than imported, so that a change in the ETL cannot move the expectation with it:

- movies: a row is dropped when its ``id`` is not a non-negative integer, when its id was seen before
  (the first row wins), or when its ``release_date`` is empty or not a real ``YYYY-MM-DD`` date;
- streaming: every row is kept; a duration found in the ``rating`` column (``"74 min"``) is the
  duration, and the rating becomes empty (the ETL then sets ``g``, as for a missing rating).
"""

from __future__ import annotations

import ast
import csv
import gzip
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

# Kaggle's movies_metadata.csv header, in the file's order (the fixtures and the full-size generator
# write it; the ETL reads the columns it needs by name).
MOVIE_HEADER = (
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
)
PLATFORM_FILES = {
    "amazon": "amazon_prime_titles.csv.gz",
    "disney": "disney_plus_titles.csv.gz",
    "hulu": "hulu_titles.csv.gz",
    "netflix": "netflix_titles.csv.gz",
}

_ID = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DURATION = re.compile(r"(\d+)\s*(min|season|seasons)", re.IGNORECASE)


def csv_rows(path: Path) -> list[dict[str, str]]:
    """Every row of a gzipped CSV file as a dict of strings."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class RawMovie:
    """One movie row of the raw file that the ETL keeps."""

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
class RawMovies:
    """The raw movies file: how many rows it has, which it drops and why, and the rows it keeps."""

    rows_in: int
    rejected: Counter[str]
    kept: list[RawMovie]


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


def _release_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_raw_movies(raw_data_dir: Path) -> RawMovies:
    """``movies/movies_dataset.csv.gz`` under the drop rules of the module docstring."""
    rows = csv_rows(raw_data_dir / "movies" / "movies_dataset.csv.gz")
    rejected: Counter[str] = Counter()
    kept: list[RawMovie] = []
    seen: set[int] = set()
    for row in rows:
        raw_id = row["id"].strip()
        if not _ID.fullmatch(raw_id):
            rejected["invalid_id"] += 1
            continue
        movie_id = int(raw_id)
        if movie_id in seen:
            rejected["duplicate_id"] += 1
            continue
        seen.add(movie_id)
        raw_date = row["release_date"].strip()
        released = _release_date(raw_date)
        if released is None:
            rejected["invalid_release_date" if raw_date else "missing_release_date"] += 1
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
    return RawMovies(rows_in=len(rows), rejected=rejected, kept=kept)


@dataclass(frozen=True)
class RawTitle:
    """One streaming title of the raw files, lower-cased and split as the issue says."""

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
    duration_in_rating: bool  # the raw file had the duration in the rating column

    @property
    def id(self) -> str:
        """The title's id in the processed table: the platform's initial and its show_id (``ns1``)."""
        return self.platform[0] + self.show_id


def read_platform_rows(raw_data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every platform's raw rows, unchanged, by platform."""
    folder = raw_data_dir / "streaming"
    return {platform: csv_rows(folder / name) for platform, name in PLATFORM_FILES.items()}


def read_scores(raw_data_dir: Path) -> dict[str, float]:
    """``streaming/ratings_by_title.csv.gz``: the mean score by title id (``ns1``)."""
    path = raw_data_dir / "streaming" / "ratings_by_title.csv.gz"
    return {row["movieId"]: float(row["score_mean"]) for row in csv_rows(path)}


def _split(cell: str) -> list[str]:
    return [part.strip().lower() for part in cell.split(",") if part.strip()]


def raw_titles_of(
    platform_rows: dict[str, list[dict[str, str]]], scores: dict[str, float]
) -> list[RawTitle]:
    """The four platforms' titles (:func:`read_platform_rows`, :func:`read_scores`), with the rules
    of the module docstring."""
    titles: list[RawTitle] = []
    for platform, rows in platform_rows.items():
        for row in rows:
            duration_text = row["duration"].strip()
            rating = row["rating"].strip().lower()
            moved = not duration_text and _DURATION.fullmatch(rating) is not None
            if moved:
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
                    duration_in_rating=moved,
                )
            )
    return titles

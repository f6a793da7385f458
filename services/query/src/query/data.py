"""Loads both editions' processed data once and builds their statistics indexes."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from cinemateca_common import tables
from cinemateca_common.contract import (
    EDITIONS,
    MANIFEST,
    MOVIE_FEATURES_TABLE,
    MOVIES_TABLE,
    REPORT,
    STREAMING_TABLE,
    Edition,
    data_version,
    edition_dir,
    require,
)
from query.movies import MovieStats
from query.streaming import StreamingStats
from query.titles import (
    MOVIE_DETAIL_COLUMNS,
    MOVIE_FEATURE_COLUMNS,
    TITLE_DETAIL_COLUMNS,
    TitleCatalogue,
)

logger = logging.getLogger(__name__)

MOVIE_COLUMNS: Final = [
    "id",
    "title",
    "popularity",
    "budget",
    "revenue",
    "return",
    "release_year",
    "release_month",
    "release_weekday",
    "collection_name",
    "production_companies",
    "production_countries",
    "production_country_codes",
]
TITLE_COLUMNS: Final = [
    "platform",
    "type",
    "title",
    "cast",
    "country",
    "release_year",
    "rating",
    "duration_int",
    "duration_type",
    "score_mean",
]


@dataclass(frozen=True)
class QueryData:
    """Everything the routes answer from: both editions' statistics, titles, reports and versions."""

    movies: MovieStats
    streaming: StreamingStats
    data_versions: dict[Edition, str]
    titles: dict[Edition, TitleCatalogue]
    reports: dict[Edition, Path]

    @property
    def version(self) -> str:
        """One string that changes whenever either edition's data changes."""
        return f"{self.data_versions['movies']}+{self.data_versions['streaming']}"

    @property
    def rows(self) -> dict[str, int]:
        return {"movies": self.movies.rows, "streaming": self.streaming.rows}


def _require(processed_dir: Path, edition: Edition, table: str) -> Path:
    folder = edition_dir(processed_dir, edition)
    for path in (folder / MANIFEST, folder / table):
        require(path, f"uv run etl {edition}")
    tables.check(tables.SCHEMAS[table], folder / table)
    return folder / table


def _union(*groups: list[str]) -> list[str]:
    return list(dict.fromkeys(name for group in groups for name in group))


def load(processed_dir: Path) -> QueryData:
    """Read ``movies.parquet`` and ``titles.parquet`` and build the indexes; one INFO line."""
    started = time.perf_counter()
    movies_path = _require(processed_dir, "movies", MOVIES_TABLE)
    titles_path = _require(processed_dir, "streaming", STREAMING_TABLE)
    features_path = _require(processed_dir, "movies", MOVIE_FEATURES_TABLE)
    movie_table = pd.read_parquet(movies_path, columns=_union(MOVIE_COLUMNS, MOVIE_DETAIL_COLUMNS))
    title_table = pd.read_parquet(titles_path, columns=_union(TITLE_COLUMNS, TITLE_DETAIL_COLUMNS))
    movies = MovieStats(movie_table)
    streaming = StreamingStats(title_table)
    titles: dict[Edition, TitleCatalogue] = {
        "movies": TitleCatalogue.movies(
            movie_table, pd.read_parquet(features_path, columns=MOVIE_FEATURE_COLUMNS)
        ),
        "streaming": TitleCatalogue.streaming(title_table),
    }
    versions = {edition: data_version(processed_dir, edition) for edition in EDITIONS}
    data = QueryData(
        movies=movies,
        streaming=streaming,
        data_versions=versions,
        titles=titles,
        reports={e: edition_dir(processed_dir, e) / REPORT for e in EDITIONS},
    )
    logger.info(
        "loaded %d movies and %d streaming titles from %s in %.2f s (data version %s)",
        movies.rows,
        streaming.rows,
        processed_dir,
        time.perf_counter() - started,
        data.version,
    )
    return data

"""Movies edition: movies metadata + credits (+ keywords) to the published movies table and features.

Row rules (every dropped row is counted by reason in ``rejected``):

- ``invalid_id``: ``id`` is not a non-negative integer (the full file's 3 column-shifted rows hold a
  date there); checked first, so a shifted row never reaches the parsing of other columns.
- ``malformed_row``: more fields than the header has (a short row is padded with empty fields, as
  pandas does).
- ``duplicate_id``: an id seen before; the first row wins.
- ``missing_release_date`` / ``invalid_release_date``: empty, or not a real ``YYYY-MM-DD`` date.

Value fixes that keep the row are counted in ``fixes`` (non-numeric budget or revenue set to 0,
nested cells that could not be read at all, credits/keywords rows ignored).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections import Counter
from pathlib import Path

import pyarrow as pa

from cinemateca_common.contract import MOVIE_FEATURES_TABLE, MOVIES_TABLE
from cinemateca_common.tables import MOVIE_FEATURES_SCHEMA, MOVIES_SCHEMA
from etl.build import Build
from etl.credits import CREDITS_COLUMNS, read_credits
from etl.credits_worker import CreditsWorker
from etl.literals import Values, parse_values
from etl.progress import Progress
from etl.raw import CsvReader, find_file, text_or_none

log = logging.getLogger(__name__)

MOVIE_STEMS = ("movies_dataset", "movies_metadata")
MOVIE_COLUMNS = (
    "id",
    "title",
    "original_title",
    "overview",
    "tagline",
    "original_language",
    "status",
    "popularity",
    "runtime",
    "vote_average",
    "vote_count",
    "imdb_id",
    "budget",
    "revenue",
    "release_date",
    "belongs_to_collection",
    "genres",
    "production_companies",
    "production_countries",
    "spoken_languages",
)
KEYWORDS_COLUMNS = ("id", "keywords")

# A credits file at least this large is parsed in a worker process; below it, starting one
# costs more than it saves.
PARALLEL_CREDITS_BYTES = 8 << 20

_INT = re.compile(r"\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def input_paths(folder: Path) -> dict[str, Path]:
    """The edition's raw files by role; InputError when a required one is missing."""
    paths: dict[str, Path] = {}
    for role, stems, required in (
        ("movies", MOVIE_STEMS, True),
        ("credits", ("credits",), True),
        ("keywords", ("keywords",), False),
    ):
        path = find_file(folder, stems, required=required)
        if path is not None:
            paths[role] = path
    return paths


def input_columns(role: str) -> tuple[str, ...]:
    """The columns the header of the input with that role (see :func:`input_paths`) must hold."""
    return {"movies": MOVIE_COLUMNS, "credits": CREDITS_COLUMNS, "keywords": KEYWORDS_COLUMNS}[role]


def _number(value: str) -> float | None:
    """A finite float, or None for empty, non-numeric, NaN and infinite values."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _column(rows: list[Values], index: int = 0) -> list[str]:
    """The non-empty, stripped values at ``index`` of each parsed dict."""
    return [value for row in rows if (value := row[index].strip())]


class _Nested:
    """Parses one nested column's cells, counting the ones that cannot be read at all.

    Results are memoised per distinct cell text: genres, countries and languages repeat the same few
    lists across most rows, so each distinct cell is parsed once.
    """

    def __init__(self, column: str, keys: tuple[str, ...], fixes: Counter[str]) -> None:
        self.column = column
        self.keys = keys
        self.fixes = fixes
        self._seen: dict[str, list[Values] | None] = {}

    def __call__(self, cell: str) -> list[Values]:
        try:
            rows = self._seen[cell]
        except KeyError:
            rows = self._seen[cell] = parse_values(cell, self.keys)
        if rows is None:
            self.fixes[f"unparseable_{self.column}"] += 1
            return []
        return rows


def _read_movies(
    path: Path, progress: Progress, rejected: Counter[str], fixes: Counter[str]
) -> tuple[dict[str, list[object]], list[int], int]:
    """Columns of the kept rows, their ids in order, and the number of rows read."""
    reader = CsvReader(path, MOVIE_COLUMNS)
    ix = reader.index
    width = len(reader.header)
    collection = _Nested("belongs_to_collection", ("id", "name"), fixes)
    genres = _Nested("genres", ("name",), fixes)
    companies = _Nested("production_companies", ("name",), fixes)
    countries = _Nested("production_countries", ("name", "iso_3166_1"), fixes)
    languages = _Nested("spoken_languages", ("iso_639_1",), fixes)

    cols: dict[str, list[object]] = {name: [] for name in MOVIES_SCHEMA.names}
    cols["vote_count"] = []
    cols["imdb_id"] = []
    ids: list[int] = []
    seen: set[int] = set()
    rows_in = 0
    progress.step(f"reading {path.name}")
    for row in reader:
        rows_in += 1
        progress.tick(f"reading {path.name}", rows_in)
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        raw_id = row[ix["id"]].strip()
        if not _INT.fullmatch(raw_id):
            rejected["invalid_id"] += 1
            continue
        if len(row) > width:
            rejected["malformed_row"] += 1
            continue
        movie_id = int(raw_id)
        if movie_id in seen:
            rejected["duplicate_id"] += 1
            continue
        seen.add(movie_id)
        raw_date = row[ix["release_date"]].strip()
        if not raw_date:
            rejected["missing_release_date"] += 1
            continue
        try:
            if not _DATE.fullmatch(raw_date):
                raise ValueError(raw_date)
            released = dt.date.fromisoformat(raw_date)
        except ValueError:
            rejected["invalid_release_date"] += 1
            continue

        money: dict[str, float] = {}
        for column in ("budget", "revenue"):
            raw = row[ix[column]].strip()
            value = _number(raw)
            if value is None:
                if raw:
                    fixes[f"{column}_not_numeric"] += 1
                value = 0.0
            money[column] = value
        budget, revenue = money["budget"], money["revenue"]

        coll = collection(row[ix["belongs_to_collection"]])
        coll_id, coll_name = coll[0] if coll else ("", "")
        country_rows = countries(row[ix["production_countries"]])

        ids.append(movie_id)
        cols["title"].append(
            text_or_none(row[ix["title"]]) or text_or_none(row[ix["original_title"]]) or ""
        )
        for column in ("overview", "tagline", "original_language", "status"):
            cols[column].append(text_or_none(row[ix[column]]))
        cols["popularity"].append(_number(row[ix["popularity"]]) or 0.0)
        cols["runtime"].append(_number(row[ix["runtime"]]))
        cols["vote_average"].append(_number(row[ix["vote_average"]]) or 0.0)
        cols["budget"].append(budget)
        cols["revenue"].append(revenue)
        cols["return"].append(revenue / budget if budget > 0 else 0.0)
        cols["release_date"].append(released)
        cols["release_year"].append(released.year)
        cols["release_month"].append(released.month)
        cols["release_weekday"].append(released.weekday())
        cols["collection_id"].append(int(coll_id) if _INT.fullmatch(coll_id) else None)
        cols["collection_name"].append(text_or_none(coll_name))
        cols["genres"].append(_column(genres(row[ix["genres"]])))
        cols["production_companies"].append(_column(companies(row[ix["production_companies"]])))
        cols["production_countries"].append(_column(country_rows, 0))
        cols["production_country_codes"].append(_column(country_rows, 1))
        cols["spoken_languages"].append(_column(languages(row[ix["spoken_languages"]])))
        cols["vote_count"].append(_number(row[ix["vote_count"]]) or 0.0)
        cols["imdb_id"].append(text_or_none(row[ix["imdb_id"]]))
    cols["id"] = list(ids)
    progress.step(f"read {rows_in:,} rows, kept {len(ids):,}")
    return cols, ids, rows_in


def _read_keywords(
    path: Path, wanted: set[int], progress: Progress, fixes: Counter[str]
) -> dict[int, list[str]]:
    reader = CsvReader(path, KEYWORDS_COLUMNS)
    i_id, i_kw = reader.index["id"], reader.index["keywords"]
    keywords: dict[int, list[str]] = {}
    rows = 0
    progress.step(f"parsing keywords {path.name}")
    for row in reader:
        rows += 1
        progress.tick("parsing keywords", rows)
        if len(row) <= max(i_id, i_kw):
            fixes["keywords_malformed_row"] += 1
            continue
        raw_id = row[i_id].strip()
        if not _INT.fullmatch(raw_id):
            fixes["keywords_invalid_id"] += 1
            continue
        movie_id = int(raw_id)
        if movie_id not in wanted or movie_id in keywords:
            continue
        names = parse_values(row[i_kw], ("name",))
        if names is None:
            fixes["unparseable_keywords"] += 1
            names = []
        keywords[movie_id] = _column(names)
    progress.step(f"parsed keywords: {rows:,} rows")
    return keywords


def build(paths: dict[str, Path], top_cast: int, progress: Progress) -> Build:
    """Read the raw movies files and build the movies and features tables.

    A large credits file (the full one is 190 MB) is parsed in a worker process
    (:class:`etl.credits_worker.CreditsWorker`) while this one reads the movies and keywords files,
    when the machine has a second CPU.
    """
    rejected: Counter[str] = Counter()
    fixes: Counter[str] = Counter()
    credits_path = paths["credits"]
    worker: CreditsWorker | None = None
    if (os.cpu_count() or 1) > 1 and credits_path.stat().st_size >= PARALLEL_CREDITS_BYTES:
        worker = CreditsWorker(credits_path, top_cast, progress)
    try:
        cols, ids, rows_in = _read_movies(paths["movies"], progress, rejected, fixes)
        wanted = set(ids)
        keywords: dict[int, list[str]] = {}
        if "keywords" in paths:
            keywords = _read_keywords(paths["keywords"], wanted, progress, fixes)
            fixes["movies_without_keywords"] = len(wanted) - len(keywords)
        if worker is None:
            credits = read_credits(credits_path, top_cast, progress, fixes)
        else:
            progress.step("waiting for the credits worker")
            credits = worker.result(fixes)
    finally:
        if worker is not None:
            worker.close()
    fixes["movies_without_credits"] = len(wanted - credits.keys())
    none: tuple[list[str], list[str]] = ([], [])
    cols["cast"] = [credits.get(movie_id, none)[0] for movie_id in ids]
    cols["directors"] = [credits.get(movie_id, none)[1] for movie_id in ids]
    cols["keywords"] = [keywords.get(movie_id, []) for movie_id in ids]
    progress.step("building tables")
    return Build(
        tables={
            MOVIES_TABLE: pa.table(
                {name: cols[name] for name in MOVIES_SCHEMA.names}, schema=MOVIES_SCHEMA
            ),
            MOVIE_FEATURES_TABLE: pa.table(
                {name: cols[name] for name in MOVIE_FEATURES_SCHEMA.names},
                schema=MOVIE_FEATURES_SCHEMA,
            ),
        },
        rows_in=rows_in,
        rejected=rejected,
        fixes=fixes,
    )

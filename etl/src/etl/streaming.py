"""Streaming edition: the four platforms' catalogues (+ ratings) to one lower-cased titles table.

Rules: ``id`` = platform letter + ``show_id``; every text value lower-case, with a ``*_display`` copy of
the title, description, director, cast, listed_in and country columns in the original spelling (same
trimming and splitting otherwise) for people to read; an empty rating becomes
``"g"``; a duration sitting in the rating column (``74 min``, ``1 Season``) moves to the duration and the
rating counts as missing; ``duration`` splits into ``duration_int`` and ``duration_type``
(``min`` | ``season``); list columns split on commas, trimmed, digits-only entries dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import zlib
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa

from cinemateca_common.contract import PLATFORMS, STREAMING_TABLE
from cinemateca_common.tables import STREAMING_SCHEMA
from etl.build import Build
from etl.progress import Progress
from etl.raw import CsvReader, InputError, find_file, read_error, require_file, text_or_none

log = logging.getLogger(__name__)

CATALOGUE_STEMS = {
    "amazon": "amazon_prime_titles",
    "disney": "disney_plus_titles",
    "hulu": "hulu_titles",
    "netflix": "netflix_titles",
}
TITLE_COLUMNS = (
    "show_id",
    "type",
    "title",
    "director",
    "cast",
    "country",
    "date_added",
    "release_year",
    "rating",
    "duration",
    "listed_in",
    "description",
)
RAW_RATINGS_COLUMNS = ("rating", "movieId")
DERIVED_RATINGS_COLUMNS = ("movieId", "score_mean")

_DURATION = re.compile(r"(\d+)\s*(min|mins|season|seasons)", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def input_paths(folder: Path) -> dict[str, Path]:
    """The catalogues by platform plus the ratings files (``ratings/*.csv`` or ``ratings_by_title``)."""
    paths: dict[str, Path] = {}
    for platform in PLATFORMS:
        paths[platform] = require_file(folder, (CATALOGUE_STEMS[platform],))
    ratings_dir = folder / "ratings"
    raw = sorted(
        p
        for p in ratings_dir.glob("*.csv*")
        if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )
    if raw:
        for path in raw:
            paths[f"ratings/{path.name}"] = path
    else:
        derived = find_file(folder, ("ratings_by_title",), required=False)
        if derived is None:
            raise InputError(
                f"{folder}: missing ratings: ratings/*.csv[.gz] or ratings_by_title.csv[.gz]"
            )
        paths["ratings_by_title"] = derived
    return paths


def input_columns(role: str) -> tuple[str, ...]:
    """The columns the header of the input with that role (see :func:`input_paths`) must hold."""
    if role in PLATFORMS:
        return TITLE_COLUMNS
    if role == "ratings_by_title":
        return DERIVED_RATINGS_COLUMNS
    return RAW_RATINGS_COLUMNS


def _lower(value: str) -> str | None:
    text = text_or_none(value)
    return None if text is None else text.lower()


def _items(value: str) -> list[str]:
    """Comma-separated entries, trimmed, in the original spelling; digits-only entries dropped."""
    out: list[str] = []
    for part in value.split(","):
        item = part.strip()
        if item and not _DIGITS.fullmatch(item):
            out.append(item)
    return out


def _date_added(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%B %d, %Y").date()
    except ValueError:
        return None


def _duration(value: str) -> tuple[int | None, str | None]:
    match = _DURATION.fullmatch(value.strip())
    if match is None:
        return None, None
    unit = match.group(2).lower()
    return int(match.group(1)), "min" if unit.startswith("min") else "season"


def _read_catalogue(
    platform: str,
    path: Path,
    cols: dict[str, list[object]],
    rejected: Counter[str],
    fixes: Counter[str],
) -> tuple[int, int]:
    """Append one platform's titles to ``cols``; return (rows read, rows kept)."""
    reader = CsvReader(path, TITLE_COLUMNS)
    ix = reader.index
    width = len(reader.header)
    letter = platform[0]
    seen: set[str] = set()
    rows_in = kept = 0
    for row in reader:
        rows_in += 1
        if len(row) != width:
            rejected["malformed_row"] += 1
            continue
        show_id = row[ix["show_id"]].strip().lower()
        if not show_id:
            rejected["missing_show_id"] += 1
            continue
        if show_id in seen:
            rejected["duplicate_show_id"] += 1
            continue
        seen.add(show_id)

        rating_raw = row[ix["rating"]].strip()
        duration_raw = row[ix["duration"]].strip()
        if _duration(rating_raw)[0] is not None:
            fixes["duration_moved_from_rating"] += 1
            if not duration_raw:
                duration_raw = rating_raw
            rating_raw = ""
        if not rating_raw:
            fixes["rating_missing_set_g"] += 1
            rating_raw = "G"
        duration_int, duration_type = _duration(duration_raw)
        if not duration_raw:
            fixes["duration_missing"] += 1
        elif duration_int is None:
            fixes["duration_unreadable"] += 1
        raw_added = row[ix["date_added"]]
        added = _date_added(raw_added)
        if added is None and raw_added.strip():
            fixes["date_added_unreadable"] += 1
        raw_year = row[ix["release_year"]].strip()
        year = int(raw_year) if _DIGITS.fullmatch(raw_year) else None
        if year is None:
            rejected["invalid_release_year"] += 1
            continue

        cols["id"].append(letter + show_id)
        cols["platform"].append(platform)
        cols["show_id"].append(show_id)
        cols["type"].append(_lower(row[ix["type"]]) or "")
        title = text_or_none(row[ix["title"]]) or ""
        cols["title"].append(title.lower())
        cols["title_display"].append(title)
        for column in ("director", "cast", "country", "listed_in"):
            items = _items(row[ix[column]])
            cols[column].append([item.lower() for item in items])
            cols[f"{column}_display"].append(items)
        cols["date_added"].append(added)
        cols["release_year"].append(year)
        cols["rating"].append(rating_raw.lower())
        cols["duration_int"].append(duration_int)
        cols["duration_type"].append(duration_type)
        description = text_or_none(row[ix["description"]])
        cols["description"].append(None if description is None else description.lower())
        cols["description_display"].append(description)
        kept += 1
    return rows_in, kept


def _read_scores(paths: dict[str, Path], progress: Progress) -> dict[str, tuple[float, int | None]]:
    """Per title id: (mean rating, number of ratings or None when only means are available)."""
    if "ratings_by_title" in paths:
        reader = CsvReader(paths["ratings_by_title"], DERIVED_RATINGS_COLUMNS)
        i_id, i_mean = reader.index["movieId"], reader.index["score_mean"]
        scores: dict[str, tuple[float, int | None]] = {}
        for row in reader:
            try:
                mean = float(row[i_mean])
            except (ValueError, IndexError):
                continue
            if math.isfinite(mean):
                scores.setdefault(row[i_id].strip().lower(), (mean, None))
        return scores
    totals: list[pd.DataFrame] = []
    for role, path in paths.items():
        if role.startswith("ratings/"):
            progress.step(f"aggregating ratings {path.name}")
            totals.append(_aggregate_ratings(path))
    if not totals:
        return {}
    summed = pd.concat(totals).groupby(level=0).sum()
    return {
        str(key): (float(total) / int(count), int(count))
        for key, total, count in zip(summed.index, summed["total"], summed["count"], strict=True)
        if count
    }


def _aggregate_ratings(path: Path) -> pd.DataFrame:
    """Sum and count of ``rating`` per lower-cased ``movieId`` of one raw ratings file (pandas: the
    raw files hold 11 million rows, too many for a per-row Python loop)."""
    CsvReader(path, RAW_RATINGS_COLUMNS).close()  # header check with the usual one-line error
    try:
        frame = pd.read_csv(path, usecols=["movieId", "rating"], dtype={"movieId": "str"})
    except (ValueError, OSError, EOFError, zlib.error, pd.errors.ParserError) as exc:
        raise read_error(path, exc) from exc
    rating = pd.to_numeric(frame["rating"], errors="coerce")
    keys = frame["movieId"].str.strip().str.lower()
    valid = rating.notna() & keys.notna()
    grouped = rating[valid].groupby(keys[valid])
    return pd.DataFrame({"total": grouped.sum(), "count": grouped.count()})


def build(paths: dict[str, Path], progress: Progress) -> Build:
    """Read the catalogues and ratings and build the titles table."""
    rejected: Counter[str] = Counter()
    fixes: Counter[str] = Counter()
    cols: dict[str, list[object]] = {name: [] for name in STREAMING_SCHEMA.names}
    rows_in = 0
    rows_by_platform: dict[str, int] = {}
    for platform in PLATFORMS:
        progress.step(f"reading {paths[platform].name}")
        read, kept = _read_catalogue(platform, paths[platform], cols, rejected, fixes)
        rows_in += read
        rows_by_platform[platform] = kept
    progress.step("reading ratings")
    scores = _read_scores(paths, progress)
    for title_id in cols["id"]:
        score = scores.get(str(title_id))
        cols["score_mean"].append(score[0] if score else None)
        cols["score_count"].append(score[1] if score else None)
    fixes["titles_without_score"] = sum(value is None for value in cols["score_mean"])
    progress.step("building table")
    return Build(
        tables={
            STREAMING_TABLE: pa.table(
                {name: cols[name] for name in STREAMING_SCHEMA.names}, schema=STREAMING_SCHEMA
            )
        },
        rows_in=rows_in,
        rejected=rejected,
        fixes=fixes,
        extra={"rows_by_platform": rows_by_platform},
    )

"""Credits: per movie id, the top-N cast by billing order and the directors, from the raw credits file.

Only ``name``, ``order`` (cast) and ``name``, ``job`` (crew) are read; no other key is assumed.
:class:`etl.credits_worker.CreditsWorker` runs :func:`read_credits` in a child process, so this
module imports nothing heavy (no pyarrow, pandas or pydantic): the child starts in a fraction of a
second.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from etl.literals import Values, parse_literals, text_of
from etl.progress import Progress
from etl.raw import CsvReader

CREDITS_COLUMNS = ("id", "cast", "crew")
Credits = dict[int, tuple[list[str], list[str]]]  # movie id -> (top cast, directors)

_LAST = 1 << 62  # sort key for a cast entry without a usable ``order``
_DIRECTOR = frozenset({"'Director'", '"Director"'})


def cast_names(rows: list[Values], top: int) -> list[str]:
    """Names of (name, order) literal rows by billing order (rows without a usable order last),
    top N; only the kept names are decoded."""
    ranked = sorted(
        (int(order) if order.isascii() and order.isdigit() else _LAST, position, name)
        for position, (name, order) in enumerate(rows)
    )
    names: list[str] = []
    for _, _, literal in ranked:
        if len(names) == top:
            break
        if name := text_of(literal).strip():
            names.append(name)
    return names


def directors(rows: list[Values]) -> list[str]:
    """Distinct names of (name, job) literal rows whose job is Director, in credits order."""
    names: list[str] = []
    for literal, job in rows:
        if job in _DIRECTOR and (name := text_of(literal).strip()) and name not in names:
            names.append(name)
    return names


def read_credits(path: Path, top: int, progress: Progress, fixes: Counter[str]) -> Credits:
    """Top-N cast and directors of every movie id in the credits file (the first row of an id wins).

    Rows without an integer id, repeated ids and cells that cannot be read are counted in ``fixes``.
    """
    reader = CsvReader(path, CREDITS_COLUMNS)
    i_id, i_cast, i_crew = (reader.index[name] for name in CREDITS_COLUMNS)
    width = max(i_id, i_cast, i_crew)
    credits: Credits = {}
    rows = 0
    progress.step(f"parsing credits {path.name}")
    for row in reader:
        rows += 1
        progress.tick("parsing credits", rows)
        if len(row) <= width:
            fixes["credits_malformed_row"] += 1
            continue
        raw_id = row[i_id].strip()
        if not (raw_id.isascii() and raw_id.isdigit()):
            fixes["credits_invalid_id"] += 1
            continue
        movie_id = int(raw_id)
        if movie_id in credits:
            fixes["credits_duplicate_id"] += 1
            continue
        cast_rows = parse_literals(row[i_cast], ("name", "order"))
        if cast_rows is None:
            fixes["unparseable_cast"] += 1
            cast_rows = []
        crew_rows = parse_literals(row[i_crew], ("name", "job"))
        if crew_rows is None:
            fixes["unparseable_crew"] += 1
            crew_rows = []
        credits[movie_id] = (cast_names(cast_rows, top), directors(crew_rows))
    progress.step(f"parsed credits: {rows:,} rows")
    return credits

"""Credits: per movie id, the top-N cast by billing order and the directors, from the raw credits file.

Only ``name``, ``order`` (cast) and ``name``, ``job`` (crew) are read; no other key is assumed.
:class:`CreditsWorker` runs :func:`read_credits` in a child process (``python -m etl.credits``)
so that a 190 MB credits file is parsed on a second CPU while the parent reads the movies file.
This module imports nothing heavy (no pyarrow, pandas or pydantic), so the child starts in a
fraction of a second.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cinemateca_common.logs import configure
from etl.literals import Values, parse_literals, text_of
from etl.progress import Progress
from etl.raw import CsvReader, InputError

CREDITS_COLUMNS = ("id", "cast", "crew")
Credits = dict[int, tuple[list[str], list[str]]]  # movie id -> (top cast, directors)

_LAST = 1 << 62  # sort key for a cast entry without a usable ``order``
_DIRECTOR = frozenset({"'Director'", '"Director"'})
_INPUT_ERROR = 3  # the worker's exit status for an InputError; its message is on stderr
log = logging.getLogger("etl.pipeline")


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


class CreditsWorker:
    """:func:`read_credits` in a child Python process; :meth:`result` waits for it.

    The child logs its progress to the same stdout, writes its result as a pickle to a private
    temporary file, and reports an :class:`InputError` as exit status 3 with the message on stderr,
    which :meth:`result` raises again in the parent.
    """

    def __init__(self, path: Path, top: int, progress: Progress) -> None:
        handle, name = tempfile.mkstemp(prefix="etl-credits-", suffix=".pickle")
        os.close(handle)
        self._out = Path(name)
        command = [
            sys.executable,
            "-m",
            "etl.credits",
            str(path),
            str(self._out),
            "--top",
            str(top),
            "--edition",
            progress.edition,
            "--started",
            repr(progress.started),  # perf_counter is system-wide: elapsed times line up
            "--log-level",
            str(logging.getLogger().getEffectiveLevel()),
        ]
        self._process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)

    def result(self, fixes: Counter[str]) -> Credits:
        """The child's credits; its counted fixes are added to ``fixes``."""
        _, err = self._process.communicate()
        if self._process.returncode == _INPUT_ERROR:
            raise InputError(err.strip())
        if self._process.returncode != 0:
            raise RuntimeError(f"credits worker failed (exit {self._process.returncode}): {err}")
        with self._out.open("rb") as handle:
            credits, counted = pickle.load(handle)  # written by our own child just now
        fixes.update(counted)
        return dict(credits)

    def close(self) -> None:
        """Stop the child if it still runs (the parent failed first) and remove the result file."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._out.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the worker process (``python -m etl.credits``)."""
    parser = argparse.ArgumentParser(prog="python -m etl.credits")
    parser.add_argument("path", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--edition", default="movies")
    parser.add_argument("--started", type=float)
    parser.add_argument("--log-level", type=int, default=logging.INFO)
    args = parser.parse_args(argv)
    configure(args.log_level)
    progress = Progress(args.edition, log)
    if args.started is not None:
        progress.started = args.started
    fixes: Counter[str] = Counter()
    try:
        credits = read_credits(args.path, args.top, progress, fixes)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return _INPUT_ERROR
    with args.out.open("wb") as handle:
        pickle.dump((credits, dict(fixes)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One ETL run of one edition: hash inputs, skip when up to date, else build, write Parquet and manifest."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cinemateca_common.contract import (
    MANIFEST,
    MOVIE_FEATURES_TABLE,
    MOVIES_TABLE,
    REPORT,
    SCHEMA_VERSION,
    STREAMING_TABLE,
    Edition,
    edition_dir,
)
from etl import manifest, movies, streaming
from etl.config import Settings
from etl.progress import Progress
from etl.raw import InputFile, describe, require_dir

log = logging.getLogger(__name__)


@dataclass
class EditionResult:
    """What one run of one edition did (``skipped``: inputs and parameters unchanged, no work done)."""

    edition: Edition
    skipped: bool
    rows_in: int
    rows_out: int
    rejected: dict[str, int]
    data_version: str
    seconds: float
    outputs: list[Path] = field(default_factory=list)
    fixes: dict[str, int] = field(default_factory=dict)


def _outputs(edition: Edition) -> tuple[str, ...]:
    return (MOVIES_TABLE, MOVIE_FEATURES_TABLE) if edition == "movies" else (STREAMING_TABLE,)


def _write_table(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _inputs(edition: Edition, settings: Settings) -> tuple[list[InputFile], dict[str, Any]]:
    root = require_dir(settings.data_dir, "raw data")
    folder = require_dir(root / edition, f"{edition} raw data")
    if edition == "movies":
        paths = movies.input_paths(folder)
        parameters: dict[str, Any] = {"top_cast": settings.top_cast}
    else:
        paths = streaming.input_paths(folder)
        parameters = {}
    return [describe(role, path) for role, path in paths.items()], parameters


def _up_to_date(out_dir: Path, edition: Edition, version: str) -> dict[str, Any] | None:
    previous = manifest.read(out_dir)
    if previous is None or previous.get("data_version") != version:
        return None
    if not all((out_dir / name).is_file() for name in (*_outputs(edition), REPORT)):
        return None
    return previous


def _write_report(edition: Edition, out_dir: Path, built: dict[str, Any]) -> Path:
    from etl.report import write_report  # noqa: PLC0415 - matplotlib is only needed after a build

    return write_report(edition, out_dir, manifest=built)


def run_edition(edition: Edition, settings: Settings, *, force: bool = False) -> EditionResult:
    """Build one edition into ``settings.processed_dir/<edition>/`` unless it is already up to date.

    Raises :class:`etl.raw.InputError` (one clear line) for a missing folder, file or column.
    """
    progress = Progress(edition, log)
    progress.step("hashing inputs")
    inputs, parameters = _inputs(edition, settings)
    version = manifest.data_version(edition, inputs, parameters)
    out_dir = edition_dir(settings.processed_dir, edition)

    previous = None if force else _up_to_date(out_dir, edition, version)
    if previous is not None:
        progress.step(f"skipped, up to date (data version {version})")
        return EditionResult(
            edition=edition,
            skipped=True,
            rows_in=int(previous.get("rows_in", 0)),
            rows_out=int(previous.get("rows_out", 0)),
            rejected=dict(previous.get("rejected", {})),
            fixes=dict(previous.get("fixes", {})),
            data_version=version,
            seconds=progress.elapsed,
            outputs=[out_dir / name for name in (*_outputs(edition), REPORT, MANIFEST)],
        )

    paths = {f.role: f.path for f in inputs}
    extra: dict[str, Any] = {}
    tables: dict[str, pa.Table]
    rejected: Counter[str]
    fixes: Counter[str]
    if edition == "movies":
        built_movies = movies.build(paths, settings.top_cast, progress)
        tables = {MOVIES_TABLE: built_movies.movies, MOVIE_FEATURES_TABLE: built_movies.features}
        rows_in, rows_out = built_movies.rows_in, built_movies.movies.num_rows
        rejected, fixes = built_movies.rejected, built_movies.fixes
    else:
        built_titles = streaming.build(paths, progress)
        tables = {STREAMING_TABLE: built_titles.titles}
        rows_in, rows_out = built_titles.rows_in, built_titles.titles.num_rows
        rejected, fixes = built_titles.rejected, built_titles.fixes
        extra["rows_by_platform"] = built_titles.rows_by_platform

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)  # the manifest is written last, after every output
    for name, table in tables.items():
        progress.step(f"writing {name} ({table.num_rows:,} rows)")
        _write_table(table, out_dir / name)

    built: dict[str, Any] = {
        "edition": edition,
        "schema_version": SCHEMA_VERSION,
        "pipeline_revision": manifest.PIPELINE_REVISION,
        "data_version": version,
        "inputs": [f.as_manifest() for f in inputs],
        "parameters": parameters,
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rejected": dict(sorted(rejected.items())),
        "fixes": dict(sorted((k, v) for k, v in fixes.items())),
        **extra,
        "outputs": {name: table.num_rows for name, table in tables.items()},
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": 0.0,
    }
    progress.step("writing report.html")
    report = _write_report(edition, out_dir, built)
    built["seconds"] = round(progress.elapsed, 3)
    manifest.write(out_dir, built)
    progress.step(
        f"done: {rows_in:,} rows in, {rows_out:,} out, rejected {sum(rejected.values()):,}"
        f" (data version {version})"
    )
    return EditionResult(
        edition=edition,
        skipped=False,
        rows_in=rows_in,
        rows_out=rows_out,
        rejected=dict(rejected),
        fixes=dict(fixes),
        data_version=version,
        seconds=progress.elapsed,
        outputs=[*(out_dir / name for name in tables), report, out_dir / MANIFEST],
    )

"""One ETL run of one edition: hash inputs, skip when up to date, else build, check, write and swap in.

Every output of an edition (Parquet files, report, manifest) is written into a staging folder beside
it, ``<processed>/.<edition>.staging``, which then replaces the edition's folder by two renames (the
current folder is moved aside to ``.<edition>.old``, the staging folder takes its name, the old one is
removed). A crash at any point leaves the previous edition complete and servable; the next run removes
what a crash left behind (and puts an edition moved aside back if the crash came between the renames).
One ETL writes a processed folder at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from cinemateca_common.contract import MANIFEST, REPORT, SCHEMA_VERSION, Edition, edition_dir
from etl import manifest
from etl.config import Settings
from etl.editions import SPECS
from etl.progress import Progress
from etl.raw import CsvReader, InputError, InputFile, describe, require_dir

log = logging.getLogger(__name__)

DEFAULT_MAX_SHRINK = 0.05


class ShrinkError(Exception):
    """A build that would lose more than the allowed share of the current edition's rows.

    The message is one line naming the table (or platform), both counts and how to accept it; the
    current edition is left as it is.
    """


def staging_dir(out_dir: Path) -> Path:
    """Where an edition's next outputs are written before they replace ``out_dir``."""
    return out_dir.with_name(f".{out_dir.name}.staging")


def _aside_dir(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.old")


def recover(out_dir: Path) -> None:
    """Remove what an interrupted run left beside ``out_dir``; restore an edition moved aside.

    A crash between the two renames of :func:`_swap_in` leaves no ``out_dir`` and the complete previous
    edition in ``.<edition>.old``: it is put back. Otherwise both leftovers are removed.
    """
    aside = _aside_dir(out_dir)
    if aside.is_dir() and not out_dir.exists():
        log.warning("%s: restoring the edition an interrupted run had moved aside", out_dir)
        os.replace(aside, out_dir)
    for leftover in (staging_dir(out_dir), aside):
        if leftover.exists():
            log.info("%s: removing what an interrupted run left", leftover)
            shutil.rmtree(leftover)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Make the complete ``staging`` folder the edition's folder, the old one moved aside then removed."""
    aside = _aside_dir(out_dir)
    if out_dir.exists():
        os.replace(out_dir, aside)
    os.replace(staging, out_dir)
    shutil.rmtree(aside, ignore_errors=True)


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


def _require_rows(inputs: list[InputFile], columns: Callable[[str], Sequence[str]]) -> None:
    """Raise InputError for an input holding no data row (a header alone, or nothing). ``columns``
    gives each role's required columns, named when a file is empty; the build checks them, as it
    did before this check existed, so a missing column is still reported after every empty input."""
    for item in inputs:
        reader = CsvReader(item.path, columns(item.role), check=False)
        try:
            first = next(iter(reader), None)
        finally:
            reader.close()
        if first is None:
            raise InputError(
                f"{item.path}: no data rows (only a header): the {item.role} input is empty; "
                "the processed data is left as it was"
            )


def _row_counts(outputs: dict[str, Any], rows_by_platform: dict[str, Any]) -> dict[str, int]:
    """Rows per output table and per platform, platforms first: a lost platform file is named as
    such, not only as a smaller table."""
    counts = {f"platform {k}": int(n) for k, n in rows_by_platform.items()}
    return counts | {name: int(n) for name, n in outputs.items()}


def _shrinkage(
    previous: dict[str, Any] | None, counts: dict[str, int], max_shrink: float
) -> str | None:
    """The first count that fell by more than ``max_shrink`` from ``previous``, described; or None."""
    if previous is None:
        return None
    before = _row_counts(previous.get("outputs", {}), previous.get("rows_by_platform", {}))
    for name, now in counts.items():
        old = before.get(name)
        if not old or now >= old:
            continue
        lost = (old - now) / old
        if lost > max_shrink:
            return (
                f"{name} would have {now:,} rows, {old - now:,} ({lost:.1%}) fewer than the current "
                f"edition's {old:,}, more than the allowed {max_shrink:.1%}"
            )
    return None


def _inputs(edition: Edition, settings: Settings) -> tuple[list[InputFile], dict[str, Any]]:
    root = require_dir(settings.data_dir, "raw data")
    folder = require_dir(root / edition, f"{edition} raw data")
    spec = SPECS[edition]
    paths = spec.input_paths(folder)
    return [describe(role, path) for role, path in paths.items()], spec.parameters(settings)


def _up_to_date(
    previous: dict[str, Any] | None, out_dir: Path, edition: Edition, version: str
) -> dict[str, Any] | None:
    if previous is None or previous.get("data_version") != version:
        return None
    if not all((out_dir / name).is_file() for name in (*SPECS[edition].outputs, REPORT)):
        return None
    return previous


def _write_report(edition: Edition, out_dir: Path, built: dict[str, Any]) -> Path:
    from etl.report import write_report  # noqa: PLC0415 - matplotlib is only needed after a build

    return write_report(edition, out_dir, manifest=built)


def run_edition(
    edition: Edition,
    settings: Settings,
    *,
    force: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    allow_shrink: bool = False,
) -> EditionResult:
    """Build one edition into ``settings.processed_dir/<edition>/`` unless it is already up to date.

    Raises :class:`etl.raw.InputError` (one clear line) for a missing, unreadable or empty input, or a
    missing column; :class:`ShrinkError` when an output table (or, for streaming, a platform) would
    lose more than ``max_shrink`` of the current edition's rows, unless ``allow_shrink``. In both cases
    the current edition is left untouched.
    """
    progress = Progress(edition, log)
    out_dir = edition_dir(settings.processed_dir, edition)
    recover(out_dir)
    progress.step("hashing inputs")
    inputs, parameters = _inputs(edition, settings)
    version = manifest.data_version(edition, inputs, parameters)

    current = manifest.read(
        out_dir
    )  # the edition on disk: skipped when up to date, else a baseline
    previous = None if force else _up_to_date(current, out_dir, edition, version)
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
            outputs=[out_dir / name for name in (*SPECS[edition].outputs, REPORT, MANIFEST)],
        )

    _require_rows(inputs, SPECS[edition].input_columns)
    paths = {f.role: f.path for f in inputs}
    try:
        built_edition = SPECS[edition].build(paths, settings, progress)
    except OSError as exc:
        # Nothing is written while building: this is an input that cannot be read.
        where = exc.filename or settings.data_dir
        raise InputError(f"{where}: cannot read ({exc.strerror or exc})") from exc
    tables, extra = built_edition.tables, built_edition.extra
    rows_in, rows_out = built_edition.rows_in, built_edition.rows_out
    rejected, fixes = built_edition.rejected, built_edition.fixes

    table_rows = {name: table.num_rows for name, table in tables.items()}
    counts = _row_counts(table_rows, extra.get("rows_by_platform", {}))
    shrink = _shrinkage(current, counts, max_shrink)
    if shrink is not None:
        if not allow_shrink:
            raise ShrinkError(
                f"{edition}: {shrink}; the current edition is kept "
                "(check the raw data, or accept with --allow-shrink or a larger --max-shrink)"
            )
        log.warning("%s: %s; accepted (--allow-shrink)", edition, shrink)

    staging = staging_dir(out_dir)
    staging.mkdir(parents=True)
    for name, table in tables.items():
        progress.step(f"writing {name} ({table.num_rows:,} rows)")
        pq.write_table(table, staging / name)

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
        "outputs": table_rows,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": 0.0,
    }
    progress.step("writing report.html")
    _write_report(edition, staging, built)
    built["seconds"] = round(progress.elapsed, 3)
    manifest.write(staging, built)
    _swap_in(staging, out_dir)
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
        outputs=[*(out_dir / name for name in tables), out_dir / REPORT, out_dir / MANIFEST],
    )

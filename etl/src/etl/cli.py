"""``etl movies|streaming|all``: run the ETL, print progress and a summary table.

Exit codes: 0 built or up to date; 1 a problem with the raw data (missing, unreadable or empty input,
missing column) or an output folder that cannot be written; 2 an invalid setting or flag; 3 a build
refused because it would lose too many of the current edition's rows (``--max-shrink``,
``--allow-shrink``). On 1 and 3 the current processed edition is left as it was.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from cinemateca_common.contract import EDITIONS
from cinemateca_common.logs import configure
from etl.config import Settings
from etl.pipeline import DEFAULT_MAX_SHRINK, EditionResult, ShrinkError, run_edition
from etl.raw import InputError

EXIT_SHRINK = 3


def _share(raw: str) -> float:
    """A share of rows between 0 and 1 (``0.05`` = 5 %), for ``--max-shrink``."""
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number between 0 and 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="etl",
        description="Build the processed Parquet files, manifest and EDA report of one or both editions.",
    )
    parser.add_argument("edition", choices=[*EDITIONS, "all"], help="which edition to build")
    parser.add_argument(
        "--data-dir", type=Path, help="raw data root holding movies/ and streaming/ (env DATA_DIR)"
    )
    parser.add_argument("--processed-dir", type=Path, help="output root (env PROCESSED_DIR)")
    parser.add_argument(
        "--top-cast", type=int, help="cast members kept per movie (env TOP_CAST, default 5)"
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild even when the inputs are unchanged"
    )
    parser.add_argument(
        "--max-shrink",
        type=_share,
        default=DEFAULT_MAX_SHRINK,
        metavar="SHARE",
        help=(
            "refuse a build whose output table (or, for streaming, a platform) has more than this "
            f"share fewer rows than the current edition (default {DEFAULT_MAX_SHRINK:g} = "
            f"{DEFAULT_MAX_SHRINK * 100:g} %%)"  # argparse %-formats help: %% prints one %
        ),
    )
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="accept a build that loses more rows than --max-shrink allows (a warning is logged)",
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
    if args.processed_dir is not None:
        overrides["processed_dir"] = args.processed_dir
    if args.top_cast is not None:
        overrides["top_cast"] = args.top_cast
    return Settings(**overrides)


def summary(results: Sequence[EditionResult]) -> str:
    """The end-of-run table: one row per edition."""
    header = ("edition", "status", "rows in", "rows out", "rejected", "data version", "seconds")
    rows = [header]
    for r in results:
        reasons = ", ".join(f"{k}={v:,}" for k, v in sorted(r.rejected.items()) if v) or "none"
        rows.append(
            (
                r.edition,
                "skipped, up to date" if r.skipped else "rebuilt",
                f"{r.rows_in:,}",
                f"{r.rows_out:,}",
                reasons,
                r.data_version,
                f"{r.seconds:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fixes(results: Sequence[EditionResult]) -> str:
    lines = []
    for r in results:
        counted = ", ".join(f"{k}={v:,}" for k, v in sorted(r.fixes.items()) if v)
        if counted:
            lines.append(f"{r.edition} fixes: {counted}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Entry point of the ``etl`` console script; returns the process exit code."""
    stream = out or sys.stdout
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        print(f"etl: error: invalid setting {field}: {first['msg']}", file=sys.stderr)
        return 2
    configure(settings.log_level)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)  # its INFO lines are not progress
    editions = list(EDITIONS) if args.edition == "all" else [args.edition]
    results: list[EditionResult] = []
    try:
        for edition in editions:
            results.append(
                run_edition(
                    edition,
                    settings,
                    force=args.force,
                    max_shrink=args.max_shrink,
                    allow_shrink=args.allow_shrink,
                )
            )
    except InputError as exc:
        print(f"etl: error: {exc}", file=sys.stderr)
        return 1
    except ShrinkError as exc:
        print(f"etl: error: {exc}", file=sys.stderr)
        return EXIT_SHRINK
    except OSError as exc:  # the output folder cannot be created or written
        where = exc.filename or settings.processed_dir
        print(f"etl: error: {where}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(summary(results), file=stream)
    fixes = _fixes(results)
    if fixes:
        print(fixes, file=stream)
    print(f"processed data: {settings.processed_dir.resolve()}", file=stream)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

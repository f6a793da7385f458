"""EDA report: one self-contained HTML file per edition, plots embedded as base64 PNG.

The report is for people, so every title, axis label, month and weekday name and note is Spanish.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cinemateca_common.contract import MANIFEST, MOVIES_TABLE, REPORT, STREAMING_TABLE, Edition
from etl.report import movies, streaming
from etl.report.html import Section, Summary, render_page
from etl.report.sections import manifest_section

log = logging.getLogger(__name__)

# Per edition: the table the report describes and the function that makes its summary and sections.
# Kept here, not in etl.editions.SPECS, so that the pipeline imports matplotlib only after a build.
_EDITIONS: dict[str, tuple[str, Callable[[pa.Table], tuple[Summary, list[Section]]]]] = {
    "movies": (MOVIES_TABLE, movies.sections),
    "streaming": (STREAMING_TABLE, streaming.sections),
}


def write_report(
    edition: Edition,
    out_dir: Path,
    *,
    manifest: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``out_dir/report.html`` for the edition's Parquet files in ``out_dir``; return its path.

    ``manifest`` is the run's manifest; when omitted, ``out_dir/manifest.json`` is read if it exists.
    """
    started = time.perf_counter()
    if manifest is None:
        manifest_path = out_dir / MANIFEST
        if manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if edition not in _EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: expected 'movies' or 'streaming'")
    table_name, edition_sections = _EDITIONS[edition]
    table = pq.read_table(out_dir / table_name)
    summary, sections = edition_sections(table)
    if manifest is not None:
        summary.append(("versión de los datos", str(manifest.get("data_version", "desconocida"))))
        sections.append(manifest_section(manifest))
    path = out_dir / REPORT
    path.write_text(render_page(edition, summary, sections), encoding="utf-8")
    log.info(
        "wrote %s (%d rows, %d sections) in %.1f s",
        path,
        table.num_rows,
        len(sections),
        time.perf_counter() - started,
    )
    return path

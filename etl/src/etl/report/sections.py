"""Sections both editions' reports have: years, categories, top values, missing values, the ETL run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.report.html import Section, figure, label_inches, png, short, table_html

TOP_N = 20


def year_plot(years: pa.ChunkedArray, ylabel: str) -> str:
    values = np.asarray(years.drop_null().to_numpy(), dtype=int)
    fig, ax = figure(8.0, 3.6)
    if values.size:
        lo, hi = int(values.min()), int(values.max())
        counts = np.bincount(values - lo, minlength=hi - lo + 1)
        # One step artist, not a bar per year: a century of bars costs more to draw.
        edges = np.arange(lo, hi + 2) - 0.5
        ax.stairs(counts, edges, fill=True, color="#1f77b4")
    ax.set_xlabel("año")
    ax.set_ylabel(ylabel)
    return png(fig)


def category_plot(
    column: pa.ChunkedArray, keys: Iterable[int], labels: Sequence[str], ylabel: str
) -> str:
    values = np.asarray(column.drop_null().to_numpy(), dtype=int)
    counts = [int((values == k).sum()) for k in keys]
    fig, ax = figure(6.5, 3.2)
    ax.bar(np.arange(len(counts)), counts, color="#1f77b4")
    ax.set_xticks(np.arange(len(counts)), list(labels))
    ax.set_ylabel(ylabel)
    return png(fig)


def value_counts(column: pa.ChunkedArray) -> list[tuple[str, int]]:
    """Counts of the non-empty values of a text or list-of-text column, largest first."""
    values = column
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        values = pc.list_flatten(column)
    values = values.drop_null()
    if len(values) == 0:
        return []
    counted = pc.value_counts(values)
    keys = counted.field("values").to_pylist()
    counts = counted.field("counts").to_pylist()
    pairs = [(str(k), int(c)) for k, c in zip(keys, counts, strict=True) if str(k).strip()]
    pairs.sort(key=lambda kc: (-kc[1], kc[0]))
    return pairs


def top_section(title: str, column: pa.ChunkedArray, unit: str) -> Section:
    pairs = value_counts(column)
    top = pairs[:TOP_N]
    labels = [short(k) for k, _ in reversed(top)]
    fig, ax = figure(7.5, 0.28 * max(len(top), 4) + 0.8, left=label_inches(labels))
    # Positions, not labels, on the axis: a value such as "1917" must stay a category.
    ax.barh(np.arange(len(labels)), [c for _, c in reversed(top)], color="#2ca02c")
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_xlabel(unit)
    notes = [f"{len(pairs):,} valores distintos; se muestran los {len(top)} más frecuentes."]
    return Section(title, png(fig), notes=notes)


def missing_section(t: pa.Table, zero_means_missing: Sequence[str]) -> Section:
    """Share of rows per column that are null, empty ('' or []) or 0 where 0 means unknown."""
    n = t.num_rows
    rows: list[tuple[str, int, int, int]] = []
    for name in t.column_names:
        col = t[name]
        nulls = col.null_count
        empty = 0
        zero = 0
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            empty = int(pc.sum(pc.equal(pc.list_value_length(col), 0)).as_py() or 0)
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            empty = int(pc.sum(pc.equal(pc.utf8_trim_whitespace(col), "")).as_py() or 0)
        elif name in zero_means_missing:
            zero = int(pc.sum(pc.equal(col, 0)).as_py() or 0)
        rows.append((name, nulls, empty, zero))
    shares = [(name, (a + b + c) / n if n else 0.0) for name, a, b, c in rows]
    fig, ax = figure(7.5, 0.26 * len(shares) + 0.8, left=label_inches(t.column_names))
    ax.barh(
        [s[0] for s in reversed(shares)], [100 * s[1] for s in reversed(shares)], color="#7f7f7f"
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel("% de filas sin valor (nulo, vacío o 0 donde 0 significa desconocido)")
    table = table_html(
        ("columna", "nulos", "vacíos", "ceros (desconocido)", "% sin valor"),
        [
            (
                name,
                f"{a:,}",
                f"{b:,}",
                f"{c:,}" if name in zero_means_missing else "-",
                f"{share:.1%}",
            )
            for (name, a, b, c), (_, share) in zip(rows, shares, strict=True)
        ],
        caption="Valores faltantes por columna",
    )
    notes = [
        "Vacío es un texto vacío o una lista vacía; en "
        + (", ".join(zero_means_missing) if zero_means_missing else "ninguna columna")
        + " un 0 significa desconocido y cuenta como faltante."
    ]
    return Section("Valores faltantes por columna", png(fig), notes=notes, tables=[table])


def manifest_section(manifest: Mapping[str, Any]) -> Section:
    """Counts, rejected rows by reason and fixed values from the ETL run's manifest."""
    counts = [
        (key, _count(manifest[key]))
        for key in ("rows_in", "rows_out")
        if isinstance(manifest.get(key), int | float)
    ]
    counts += [(f"salida {k}", _count(v)) for k, v in _numbers(manifest.get("outputs"))]
    counts += [(f"filas de {k}", _count(v)) for k, v in _numbers(manifest.get("rows_by_platform"))]
    rejected = [(k, _count(v)) for k, v in _numbers(manifest.get("rejected"))]
    fixes = [(k, _count(v)) for k, v in _numbers(manifest.get("fixes"))]
    tables = []
    if counts:
        tables.append(table_html(("cuenta", "filas"), counts, caption="Filas leídas y publicadas"))
    total = sum(v for _, v in _numbers(manifest.get("rejected")))
    tables.append(
        table_html(
            ("motivo", "filas"),
            [*rejected, ("total", _count(total))] if rejected else [("(ninguno)", "0")],
            caption="Filas rechazadas por motivo",
        )
    )
    if fixes:
        tables.append(
            table_html(
                ("corrección", "valores"), fixes, caption="Valores corregidos, no rechazados"
            )
        )
    inputs = manifest.get("inputs")
    if isinstance(inputs, list) and inputs:
        tables.append(
            table_html(
                ("entrada", "bytes", "sha256"),
                [
                    (
                        str(f.get("name", f.get("path", "?"))),
                        _count(f["bytes"]) if isinstance(f.get("bytes"), int) else "?",
                        str(f.get("sha256", "?"))[:16] + "…",
                    )
                    for f in inputs
                    if isinstance(f, Mapping)
                ],
                caption="Archivos de entrada",
            )
        )
    notes = [
        f"versión del esquema {manifest.get('schema_version', 'desconocida')}, "
        f"versión de los datos {manifest.get('data_version', 'desconocida')}."
    ]
    return Section("Ejecución del ETL: filas y rechazos", notes=notes, tables=tables)


def _numbers(value: Any) -> list[tuple[str, int | float]]:
    """The numeric entries of a mapping (anything else yields nothing)."""
    if not isinstance(value, Mapping):
        return []
    return [
        (str(k), v)
        for k, v in value.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]


def _count(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"

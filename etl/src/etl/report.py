"""EDA report: one self-contained HTML file per edition, plots embedded as base64 PNG.

The report is for people, so every title, axis label, month and weekday name and note is Spanish.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cinemateca_common.contract import (
    MANIFEST,
    MOVIES_TABLE,
    PLATFORMS,
    REPORT,
    STREAMING_TABLE,
)

log = logging.getLogger(__name__)

TOP_N = 20
_DPI = 80
_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
_WEEKDAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
_KINDS = {"movie": "película", "tv show": "serie"}
_PLATFORM_COLOURS = {
    "amazon": "#1f77b4",
    "disney": "#2ca02c",
    "hulu": "#9467bd",
    "netflix": "#d62728",
}
# Returns above this multiple of the budget are flagged as outliers: almost always a budget
# recorded in millions (e.g. 5 for $5M) or a placeholder such as 1, not a real 1000x hit.
_RETURN_OUTLIER = 1000.0


@dataclass
class _Section:
    """One heading of the report: optional plot, optional paragraphs and tables."""

    title: str
    image: str | None = None
    notes: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def write_report(
    edition: Literal["movies", "streaming"],
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
    if edition == "movies":
        table = pq.read_table(out_dir / MOVIES_TABLE)
        summary, sections = _movies_sections(table)
    elif edition == "streaming":
        table = pq.read_table(out_dir / STREAMING_TABLE)
        summary, sections = _streaming_sections(table)
    else:
        raise ValueError(f"unknown edition {edition!r}: expected 'movies' or 'streaming'")
    if manifest is not None:
        summary.append(("versión de los datos", str(manifest.get("data_version", "desconocida"))))
        sections.append(_manifest_section(manifest))
    path = out_dir / REPORT
    path.write_text(_render(edition, summary, sections), encoding="utf-8")
    log.info(
        "wrote %s (%d rows, %d sections) in %.1f s",
        path,
        table.num_rows,
        len(sections),
        time.perf_counter() - started,
    )
    return path


# ---------------------------------------------------------------------------------------------
# movies


def _movies_sections(t: pa.Table) -> tuple[list[tuple[str, str]], list[_Section]]:
    n = t.num_rows
    dates = t["release_date"]
    summary: list[tuple[str, str]] = [("edición", "movies"), ("películas", f"{n:,}")]
    if n and dates.null_count < n:
        summary.append(("fechas de estreno", f"{pc.min(dates).as_py()} a {pc.max(dates).as_py()}"))
    budget = t["budget"].to_numpy(zero_copy_only=False).astype(float)
    revenue = t["revenue"].to_numpy(zero_copy_only=False).astype(float)
    summary.append(("películas con presupuesto", f"{int((budget > 0).sum()):,}"))
    summary.append(("películas con recaudación", f"{int((revenue > 0).sum()):,}"))

    sections = [
        _Section("Estrenos por año", _year_plot(t["release_year"], "películas estrenadas")),
        _Section(
            "Estrenos por mes",
            _category_plot(t["release_month"], range(1, 13), _MONTHS, "películas estrenadas"),
            notes=[
                "Muchas películas tienen el 1 de enero como fecha cuando solo se conoce el año."
            ],
        ),
        _Section(
            "Estrenos por día de la semana",
            _category_plot(t["release_weekday"], range(7), _WEEKDAYS, "películas estrenadas"),
        ),
        _budget_revenue_section(t, budget, revenue),
        _return_section(t, budget, revenue),
        _top_section("Géneros más frecuentes", t["genres"], "películas"),
        _top_section("Países de producción más frecuentes", t["production_countries"], "películas"),
        _top_section("Productoras más frecuentes", t["production_companies"], "películas"),
        _top_section("Colecciones más frecuentes", t["collection_name"], "películas"),
        _missing_section(t, zero_means_missing=("budget", "revenue", "runtime")),
    ]
    return summary, sections


def _budget_revenue_section(t: pa.Table, budget: np.ndarray, revenue: np.ndarray) -> _Section:
    both = (budget > 0) & (revenue > 0)
    fig, ax = _figure(6.5, 5.0, left=0.9)
    ax.scatter(budget[both], revenue[both], s=6, alpha=0.35, color="#1f77b4", linewidths=0)
    if both.any():
        ax.set_xscale("log")
        ax.set_yscale("log")
        lo = float(min(budget[both].min(), revenue[both].min()))
        hi = float(max(budget[both].max(), revenue[both].max()))
        ax.plot(
            [lo, hi],
            [lo, hi],
            color="grey",
            linewidth=1,
            linestyle="--",
            label="punto de equilibrio",
        )
        ax.legend(loc="upper left")
    ax.set_xlabel("presupuesto (USD, escala logarítmica)")
    ax.set_ylabel("recaudación (USD, escala logarítmica)")
    notes = [
        f"{int(both.sum()):,} de {t.num_rows:,} películas tienen presupuesto y recaudación mayores "
        "que 0; un presupuesto o una recaudación de 0 significa desconocido, así que esas películas "
        "quedan fuera."
    ]
    return _Section("Presupuesto y recaudación", _png(fig), notes=notes)


def _return_section(t: pa.Table, budget: np.ndarray, revenue: np.ndarray) -> _Section:
    ret = t["return"].to_numpy(zero_copy_only=False).astype(float)
    with_budget = budget > 0
    positive = with_budget & (ret > 0)
    fig, ax = _figure(6.5, 3.8)
    if positive.any():
        values = np.log10(ret[positive])
        ax.hist(values, bins=60, color="#ff7f0e")
        ax.axvline(
            0.0, color="grey", linestyle="--", linewidth=1, label="punto de equilibrio (retorno 1)"
        )
        ax.legend(loc="upper right")
    ax.set_xlabel("log10(retorno) = log10(recaudación / presupuesto)")
    ax.set_ylabel("películas")
    n_zero = int((with_budget & (revenue <= 0)).sum())
    outliers = with_budget & (ret > _RETURN_OUTLIER)
    notes = [
        f"{int(with_budget.sum()):,} películas tienen presupuesto mayor que 0 (para las demás el "
        f"retorno se define como 0); {int(positive.sum()):,} de ellas tienen recaudación conocida y "
        f"se grafican, {n_zero:,} tienen recaudación 0 (desconocida, retorno 0).",
    ]
    if positive.any():
        median = float(np.median(ret[positive]))
        notes.append(f"Retorno mediano de las películas graficadas: {median:.2f}.")
    notes.append(
        f"{int(outliers.sum()):,} películas tienen un retorno mayor que {_RETURN_OUTLIER:,.0f}: casi "
        "siempre un presupuesto anotado en millones o un valor de relleno (1, 10, 100 USD), no un "
        "éxito real. Se conservan en los datos; para comparar retornos use la mediana, no la media."
    )
    tables: list[str] = []
    if outliers.any():
        order = np.argsort(-ret[outliers])[:10]
        rows_idx = np.flatnonzero(outliers)[order]
        titles = t["title"].take(pa.array(rows_idx)).to_pylist()
        years = t["release_year"].take(pa.array(rows_idx)).to_pylist()
        tables.append(
            _table(
                ("título", "año", "presupuesto", "recaudación", "retorno"),
                [
                    (str(ti), str(y), f"{budget[i]:,.0f}", f"{revenue[i]:,.0f}", f"{ret[i]:,.0f}")
                    for ti, y, i in zip(titles, years, rows_idx, strict=True)
                ],
                caption="Mayores retornos (valores atípicos)",
            )
        )
    return _Section("Distribución del retorno", _png(fig), notes=notes, tables=tables)


# ---------------------------------------------------------------------------------------------
# streaming


def _streaming_sections(t: pa.Table) -> tuple[list[tuple[str, str]], list[_Section]]:
    n = t.num_rows
    summary: list[tuple[str, str]] = [("edición", "streaming"), ("títulos", f"{n:,}")]
    platform = t["platform"].to_numpy(zero_copy_only=False).astype(str)
    kind = t["type"].to_numpy(zero_copy_only=False).astype(str)
    for p in _platforms(platform):
        summary.append((p, f"{int((platform == p).sum()):,} títulos"))
    years = t["release_year"]
    if n and years.null_count < n:
        summary.append(("años de estreno", f"{pc.min(years).as_py()} a {pc.max(years).as_py()}"))
    added = t["date_added"]
    if n and added.null_count < n:
        summary.append(("fechas de alta", f"{pc.min(added).as_py()} a {pc.max(added).as_py()}"))

    sections = [
        _platform_type_section(platform, kind),
        _duration_section(t, platform, kind),
        _ratings_section(t, platform),
        _top_section("Países más frecuentes", t["country"], "títulos"),
        _releases_by_year_platform(t, platform),
        _top_section("Géneros más frecuentes (listed_in)", t["listed_in"], "títulos"),
        _score_section(t),
        _missing_section(t, zero_means_missing=()),
    ]
    return summary, sections


def _platforms(platform: np.ndarray) -> list[str]:
    present = set(platform.tolist())
    return [p for p in PLATFORMS if p in present] + sorted(present - set(PLATFORMS))


def _platform_type_section(platform: np.ndarray, kind: np.ndarray) -> _Section:
    platforms = _platforms(platform)
    kinds = sorted(set(kind.tolist()))
    fig, ax = _figure(6.5, 3.8)
    x = np.arange(len(platforms))
    width = 0.8 / max(len(kinds), 1)
    rows = []
    for j, k in enumerate(kinds):
        counts = [int(((platform == p) & (kind == k)).sum()) for p in platforms]
        ax.bar(x + j * width - 0.4 + width / 2, counts, width, label=_KINDS.get(k, k))
    for p in platforms:
        rows.append((p, *(f"{int(((platform == p) & (kind == k)).sum()):,}" for k in kinds)))
    ax.set_xticks(x, platforms)
    ax.set_ylabel("títulos")
    if kinds:
        ax.legend()
    header = ("plataforma", *(_KINDS.get(k, k) for k in kinds))
    table = _table(header, rows, caption="Títulos por plataforma y tipo")
    return _Section("Títulos por plataforma y tipo", _png(fig), tables=[table])


def _duration_section(t: pa.Table, platform: np.ndarray, kind: np.ndarray) -> _Section:
    dur = t["duration_int"].to_numpy(zero_copy_only=False)
    dur = np.asarray(dur, dtype=float)
    dtype = t["duration_type"].to_numpy(zero_copy_only=False).astype(str)
    platforms = _platforms(platform)
    fig = Figure(figsize=(11.0, 3.8), dpi=_DPI)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.92, wspace=0.2)
    ax_min, ax_season = fig.subplots(1, 2)
    minutes = [dur[(platform == p) & (dtype == "min") & ~np.isnan(dur)] for p in platforms]
    if any(m.size for m in minutes):
        ax_min.boxplot(
            [m if m.size else np.array([np.nan]) for m in minutes],
            tick_labels=platforms,
            showfliers=False,
        )
    ax_min.set_title("películas: duración (minutos)")
    ax_min.set_ylabel("minutos")
    max_seasons = 10
    x = np.arange(1, max_seasons + 1)
    width = 0.8 / max(len(platforms), 1)
    for j, p in enumerate(platforms):
        s = dur[(platform == p) & (dtype == "season") & ~np.isnan(dur)]
        counts = [int((np.minimum(s, max_seasons) == k).sum()) for k in x]
        ax_season.bar(
            x + j * width - 0.4 + width / 2,
            counts,
            width,
            label=p,
            color=_PLATFORM_COLOURS.get(p),
        )
    ax_season.set_xticks(x, [*(str(k) for k in x[:-1]), f"{max_seasons}+"])
    ax_season.set_yscale("symlog", linthresh=10)
    ax_season.set_title("series: temporadas")
    ax_season.set_ylabel("títulos")
    if platforms:
        ax_season.legend()
    rows = []
    for p, m in zip(platforms, minutes, strict=True):
        s = dur[(platform == p) & (dtype == "season") & ~np.isnan(dur)]
        rows.append(
            (
                p,
                f"{np.median(m):.0f}" if m.size else "-",
                f"{np.median(s):.0f}" if s.size else "-",
                f"{int(((platform == p) & np.isnan(dur)).sum()):,}",
            )
        )
    n_movies_season = int(((kind == "movie") & (dtype == "season")).sum())
    notes = [
        "Las películas se miden en minutos y las series en temporadas; la caja muestra la mitad "
        "central de las duraciones y los bigotes 1,5 veces el rango intercuartílico (sin valores "
        "atípicos).",
    ]
    if n_movies_season:
        notes.append(
            f"{n_movies_season:,} títulos de tipo película tienen su duración en temporadas."
        )
    table = _table(
        (
            "plataforma",
            "minutos (mediana, películas)",
            "temporadas (mediana, series)",
            "sin duración",
        ),
        rows,
        caption="Duraciones por plataforma",
    )
    return _Section("Duraciones", _png(fig), notes=notes, tables=[table])


def _ratings_section(t: pa.Table, platform: np.ndarray) -> _Section:
    rating = t["rating"].to_numpy(zero_copy_only=False).astype(str)
    counts = _value_counts(t["rating"])[:25]
    labels = [k for k, _ in counts]
    platforms = _platforms(platform)
    fig, ax = _figure(9.0, 4.2, bottom=0.5 + 0.06 * max((len(x) for x in labels), default=2))
    bottom = np.zeros(len(labels))
    for p in platforms:
        values = np.array([int(((platform == p) & (rating == r)).sum()) for r in labels])
        ax.bar(
            np.arange(len(labels)), values, bottom=bottom, label=p, color=_PLATFORM_COLOURS.get(p)
        )
        bottom += values
    ax.set_xticks(np.arange(len(labels)), labels, rotation=60)
    ax.set_ylabel("títulos")
    if platforms:
        ax.legend()
    notes = [
        "Una clasificación que falta se publica como «g», así que «g» también cuenta los títulos "
        "sin clasificación."
    ]
    return _Section("Clasificaciones por edad", _png(fig), notes=notes)


def _releases_by_year_platform(t: pa.Table, platform: np.ndarray) -> _Section:
    years = np.asarray(t["release_year"].to_numpy(zero_copy_only=False), dtype=float)
    fig, ax = _figure(8.0, 3.8)
    for p in _platforms(platform):
        y = years[(platform == p) & ~np.isnan(years)].astype(int)
        if y.size:
            values, counts = np.unique(y, return_counts=True)
            ax.plot(values, counts, label=p, color=_PLATFORM_COLOURS.get(p), linewidth=1.2)
    ax.set_xlabel("año de estreno")
    ax.set_ylabel("títulos")
    if len(platform):
        ax.legend()
    return _Section("Estrenos por año", _png(fig))


def _score_section(t: pa.Table) -> _Section:
    score = np.asarray(t["score_mean"].to_numpy(zero_copy_only=False), dtype=float)
    known = score[~np.isnan(score)]
    fig, ax = _figure(6.5, 3.6)
    if known.size:
        ax.hist(known, bins=50, color="#17becf")
    ax.set_xlabel("puntaje medio de los usuarios")
    ax.set_ylabel("títulos")
    notes = [f"{known.size:,} de {score.size:,} títulos tienen puntaje medio de usuarios."]
    if known.size:
        notes.append(
            f"media {known.mean():.3f}, desviación estándar {known.std():.3f}, mínimo "
            f"{known.min():.3f}, máximo {known.max():.3f}: los puntajes están en una franja "
            "estrecha; sirven para ordenar, no como medida absoluta de calidad."
        )
    return _Section("Distribución del puntaje (score_mean)", _png(fig), notes=notes)


# ---------------------------------------------------------------------------------------------
# shared sections


def _year_plot(years: pa.ChunkedArray, ylabel: str) -> str:
    values = np.asarray(years.drop_null().to_numpy(), dtype=int)
    fig, ax = _figure(8.0, 3.6)
    if values.size:
        lo, hi = int(values.min()), int(values.max())
        counts = np.bincount(values - lo, minlength=hi - lo + 1)
        # One step artist, not a bar per year: a century of bars costs more to draw.
        edges = np.arange(lo, hi + 2) - 0.5
        ax.stairs(counts, edges, fill=True, color="#1f77b4")
    ax.set_xlabel("año")
    ax.set_ylabel(ylabel)
    return _png(fig)


def _category_plot(
    column: pa.ChunkedArray, keys: Iterable[int], labels: Sequence[str], ylabel: str
) -> str:
    values = np.asarray(column.drop_null().to_numpy(), dtype=int)
    counts = [int((values == k).sum()) for k in keys]
    fig, ax = _figure(6.5, 3.2)
    ax.bar(np.arange(len(counts)), counts, color="#1f77b4")
    ax.set_xticks(np.arange(len(counts)), list(labels))
    ax.set_ylabel(ylabel)
    return _png(fig)


def _value_counts(column: pa.ChunkedArray) -> list[tuple[str, int]]:
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


def _top_section(title: str, column: pa.ChunkedArray, unit: str) -> _Section:
    pairs = _value_counts(column)
    top = pairs[:TOP_N]
    labels = [_short(k) for k, _ in reversed(top)]
    fig, ax = _figure(7.5, 0.28 * max(len(top), 4) + 0.8, left=_label_inches(labels))
    # Positions, not labels, on the axis: a value such as "1917" must stay a category.
    ax.barh(np.arange(len(labels)), [c for _, c in reversed(top)], color="#2ca02c")
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_xlabel(unit)
    notes = [f"{len(pairs):,} valores distintos; se muestran los {len(top)} más frecuentes."]
    return _Section(title, _png(fig), notes=notes)


def _missing_section(t: pa.Table, zero_means_missing: Sequence[str]) -> _Section:
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
    fig, ax = _figure(7.5, 0.26 * len(shares) + 0.8, left=_label_inches(t.column_names))
    ax.barh(
        [s[0] for s in reversed(shares)], [100 * s[1] for s in reversed(shares)], color="#7f7f7f"
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel("% de filas sin valor (nulo, vacío o 0 donde 0 significa desconocido)")
    table = _table(
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
    return _Section("Valores faltantes por columna", _png(fig), notes=notes, tables=[table])


def _manifest_section(manifest: Mapping[str, Any]) -> _Section:
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
        tables.append(_table(("cuenta", "filas"), counts, caption="Filas leídas y publicadas"))
    total = sum(v for _, v in _numbers(manifest.get("rejected")))
    tables.append(
        _table(
            ("motivo", "filas"),
            [*rejected, ("total", _count(total))] if rejected else [("(ninguno)", "0")],
            caption="Filas rechazadas por motivo",
        )
    )
    if fixes:
        tables.append(
            _table(("corrección", "valores"), fixes, caption="Valores corregidos, no rechazados")
        )
    inputs = manifest.get("inputs")
    if isinstance(inputs, list) and inputs:
        tables.append(
            _table(
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
    return _Section("Ejecución del ETL: filas y rechazos", notes=notes, tables=tables)


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


# ---------------------------------------------------------------------------------------------
# rendering


def _figure(
    width: float, height: float, *, left: float = 0.8, bottom: float = 0.55, top: float = 0.15
) -> tuple[Figure, Axes]:
    """A figure with one axes and fixed margins in inches.

    Fixed margins instead of a layout engine: constrained or tight layout draws every figure twice,
    which doubles the report's time.
    """
    fig = Figure(figsize=(width, height), dpi=_DPI)
    fig.subplots_adjust(
        left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - top / height
    )
    ax = fig.subplots()
    return fig, ax


def _label_inches(labels: Iterable[str]) -> float:
    """Room for the longest tick label at the default 10 pt font (about 0.075 in per character)."""
    return 0.3 + 0.075 * max((len(label) for label in labels), default=4)


def _png(fig: Figure) -> str:
    """The figure as a base64 PNG data URI."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # Names in scripts the bundled font lacks (CJK company names) render as boxes: fine here.
        warnings.filterwarnings(
            "ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning
        )
        fig.savefig(buf, format="png", dpi=_DPI)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
caption{text-align:left;font-weight:600;padding:.3em 0}
td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left}
th{background:#f4f4f4}img{max-width:100%;height:auto}
nav a{margin-right:.8em}.note{color:#555}
"""


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _render(edition: str, summary: Sequence[tuple[str, str]], sections: Sequence[_Section]) -> str:
    esc: Callable[[str], str] = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="es"><head><meta charset="utf-8">',
        f"<title>Cinemateca: análisis exploratorio (EDA) de {esc(edition)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Cinemateca: análisis exploratorio (EDA) de {esc(edition)}</h1>",
        '<section id="resumen"><h2>Resumen</h2>',
        _table(("", ""), summary, caption="Qué contienen estos datos"),
        "</section>",
        "<nav>"
        + "".join(f'<a href="#{_slug(s.title)}">{esc(s.title)}</a>' for s in sections)
        + "</nav>",
    ]
    for s in sections:
        parts.append(f'<section id="{_slug(s.title)}"><h2>{esc(s.title)}</h2>')
        if s.image is not None:
            parts.append(f'<img src="{s.image}" alt="{esc(s.title)}">')
        parts.extend(f'<p class="note">{esc(note)}</p>' for note in s.notes)
        parts.extend(s.tables)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)

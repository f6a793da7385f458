"""EDA report: one self-contained HTML file per edition, plots embedded as base64 PNG."""

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
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
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
        summary.append(("data version", str(manifest.get("data_version", "unknown"))))
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
    summary: list[tuple[str, str]] = [("edition", "movies"), ("films", f"{n:,}")]
    if n and dates.null_count < n:
        summary.append(("release dates", f"{pc.min(dates).as_py()} to {pc.max(dates).as_py()}"))
    budget = t["budget"].to_numpy(zero_copy_only=False).astype(float)
    revenue = t["revenue"].to_numpy(zero_copy_only=False).astype(float)
    summary.append(("films with a budget", f"{int((budget > 0).sum()):,}"))
    summary.append(("films with a revenue", f"{int((revenue > 0).sum()):,}"))

    sections = [
        _Section("Releases by year", _year_plot(t["release_year"], "films released")),
        _Section(
            "Releases by month",
            _category_plot(t["release_month"], range(1, 13), _MONTHS, "films released"),
            notes=["Many films carry 1 January as their date when only the year is known."],
        ),
        _Section(
            "Releases by weekday",
            _category_plot(t["release_weekday"], range(7), _WEEKDAYS, "films released"),
        ),
        _budget_revenue_section(t, budget, revenue),
        _return_section(t, budget, revenue),
        _top_section("Top genres", t["genres"], "films"),
        _top_section("Top production countries", t["production_countries"], "films"),
        _top_section("Top production companies", t["production_companies"], "films"),
        _top_section("Top collections", t["collection_name"], "films"),
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
        ax.plot([lo, hi], [lo, hi], color="grey", linewidth=1, linestyle="--", label="break-even")
        ax.legend(loc="upper left")
    ax.set_xlabel("budget (USD, log)")
    ax.set_ylabel("revenue (USD, log)")
    notes = [
        f"{int(both.sum()):,} of {t.num_rows:,} films have both a budget and a revenue above 0; "
        "a budget or revenue of 0 means unknown, so those films are left out."
    ]
    return _Section("Budget vs revenue", _png(fig), notes=notes)


def _return_section(t: pa.Table, budget: np.ndarray, revenue: np.ndarray) -> _Section:
    ret = t["return"].to_numpy(zero_copy_only=False).astype(float)
    with_budget = budget > 0
    positive = with_budget & (ret > 0)
    fig, ax = _figure(6.5, 3.8)
    if positive.any():
        values = np.log10(ret[positive])
        ax.hist(values, bins=60, color="#ff7f0e")
        ax.axvline(0.0, color="grey", linestyle="--", linewidth=1, label="break-even (return 1)")
        ax.legend(loc="upper right")
    ax.set_xlabel("log10(return) = log10(revenue / budget)")
    ax.set_ylabel("films")
    n_zero = int((with_budget & (revenue <= 0)).sum())
    outliers = with_budget & (ret > _RETURN_OUTLIER)
    notes = [
        f"{int(with_budget.sum()):,} films have a budget above 0 (return is defined as 0 for the others); "
        f"{int(positive.sum()):,} of them have a known revenue and are plotted, {n_zero:,} have revenue 0 "
        "(unknown, return 0).",
    ]
    if positive.any():
        median = float(np.median(ret[positive]))
        notes.append(f"Median return of the plotted films: {median:.2f}.")
    notes.append(
        f"{int(outliers.sum()):,} films have a return above {_RETURN_OUTLIER:,.0f}: almost always a "
        "budget recorded in millions or a placeholder (1, 10, 100 USD) rather than a real hit. "
        "They are kept in the data; use the median, not the mean, when comparing returns."
    )
    tables: list[str] = []
    if outliers.any():
        order = np.argsort(-ret[outliers])[:10]
        rows_idx = np.flatnonzero(outliers)[order]
        titles = t["title"].take(pa.array(rows_idx)).to_pylist()
        years = t["release_year"].take(pa.array(rows_idx)).to_pylist()
        tables.append(
            _table(
                ("title", "year", "budget", "revenue", "return"),
                [
                    (str(ti), str(y), f"{budget[i]:,.0f}", f"{revenue[i]:,.0f}", f"{ret[i]:,.0f}")
                    for ti, y, i in zip(titles, years, rows_idx, strict=True)
                ],
                caption="Largest returns (outliers)",
            )
        )
    return _Section("Return distribution", _png(fig), notes=notes, tables=tables)


# ---------------------------------------------------------------------------------------------
# streaming


def _streaming_sections(t: pa.Table) -> tuple[list[tuple[str, str]], list[_Section]]:
    n = t.num_rows
    summary: list[tuple[str, str]] = [("edition", "streaming"), ("titles", f"{n:,}")]
    platform = t["platform"].to_numpy(zero_copy_only=False).astype(str)
    kind = t["type"].to_numpy(zero_copy_only=False).astype(str)
    for p in _platforms(platform):
        summary.append((p, f"{int((platform == p).sum()):,} titles"))
    years = t["release_year"]
    if n and years.null_count < n:
        summary.append(("release years", f"{pc.min(years).as_py()} to {pc.max(years).as_py()}"))
    added = t["date_added"]
    if n and added.null_count < n:
        summary.append(("dates added", f"{pc.min(added).as_py()} to {pc.max(added).as_py()}"))

    sections = [
        _platform_type_section(platform, kind),
        _duration_section(t, platform, kind),
        _ratings_section(t, platform),
        _top_section("Top countries", t["country"], "titles"),
        _releases_by_year_platform(t, platform),
        _top_section("Top genres (listed_in)", t["listed_in"], "titles"),
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
        ax.bar(x + j * width - 0.4 + width / 2, counts, width, label=k)
    for p in platforms:
        rows.append((p, *(f"{int(((platform == p) & (kind == k)).sum()):,}" for k in kinds)))
    ax.set_xticks(x, platforms)
    ax.set_ylabel("titles")
    if kinds:
        ax.legend()
    table = _table(("platform", *kinds), rows, caption="Titles per platform and type")
    return _Section("Titles per platform and type", _png(fig), tables=[table])


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
    ax_min.set_title("movies: runtime (minutes)")
    ax_min.set_ylabel("minutes")
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
    ax_season.set_title("tv shows: seasons")
    ax_season.set_ylabel("titles")
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
        "Movies are measured in minutes and TV shows in seasons; the box shows the middle half of "
        "the runtimes, whiskers 1.5 IQR (outliers hidden).",
    ]
    if n_movies_season:
        notes.append(f"{n_movies_season:,} titles typed as movie carry a duration in seasons.")
    table = _table(
        ("platform", "median minutes (movies)", "median seasons (shows)", "no duration"),
        rows,
        caption="Durations per platform",
    )
    return _Section("Durations", _png(fig), notes=notes, tables=[table])


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
    ax.set_ylabel("titles")
    if platforms:
        ax.legend()
    notes = ["A missing rating is published as “g”, so “g” also counts the titles without one."]
    return _Section("Ratings distribution", _png(fig), notes=notes)


def _releases_by_year_platform(t: pa.Table, platform: np.ndarray) -> _Section:
    years = np.asarray(t["release_year"].to_numpy(zero_copy_only=False), dtype=float)
    fig, ax = _figure(8.0, 3.8)
    for p in _platforms(platform):
        y = years[(platform == p) & ~np.isnan(years)].astype(int)
        if y.size:
            values, counts = np.unique(y, return_counts=True)
            ax.plot(values, counts, label=p, color=_PLATFORM_COLOURS.get(p), linewidth=1.2)
    ax.set_xlabel("release year")
    ax.set_ylabel("titles")
    if len(platform):
        ax.legend()
    return _Section("Releases by year", _png(fig))


def _score_section(t: pa.Table) -> _Section:
    score = np.asarray(t["score_mean"].to_numpy(zero_copy_only=False), dtype=float)
    known = score[~np.isnan(score)]
    fig, ax = _figure(6.5, 3.6)
    if known.size:
        ax.hist(known, bins=50, color="#17becf")
    ax.set_xlabel("mean user score")
    ax.set_ylabel("titles")
    notes = [f"{known.size:,} of {score.size:,} titles have a mean user score."]
    if known.size:
        notes.append(
            f"mean {known.mean():.3f}, std {known.std():.3f}, min {known.min():.3f}, "
            f"max {known.max():.3f}: the scores sit in a narrow band, so rank by them, "
            "do not read them as absolute quality."
        )
    return _Section("Score distribution (score_mean)", _png(fig), notes=notes)


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
    ax.set_xlabel("year")
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
    notes = [f"{len(pairs):,} distinct values; the top {len(top)} are shown."]
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
    ax.set_xlabel("% of rows missing (null, empty, or 0 where 0 means unknown)")
    table = _table(
        ("column", "null", "empty", "zero (unknown)", "missing %"),
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
        caption="Missing values per column",
    )
    notes = [
        "Empty means an empty string or an empty list; for "
        + (", ".join(zero_means_missing) if zero_means_missing else "no column")
        + " a 0 means unknown and counts as missing."
    ]
    return _Section("Missing values per column", _png(fig), notes=notes, tables=[table])


def _manifest_section(manifest: Mapping[str, Any]) -> _Section:
    """Counts, rejected rows by reason and fixed values from the ETL run's manifest."""
    counts = [
        (key, _count(manifest[key]))
        for key in ("rows_in", "rows_out")
        if isinstance(manifest.get(key), int | float)
    ]
    counts += [(f"output {k}", _count(v)) for k, v in _numbers(manifest.get("outputs"))]
    counts += [(f"rows from {k}", _count(v)) for k, v in _numbers(manifest.get("rows_by_platform"))]
    rejected = [(k, _count(v)) for k, v in _numbers(manifest.get("rejected"))]
    fixes = [(k, _count(v)) for k, v in _numbers(manifest.get("fixes"))]
    tables = []
    if counts:
        tables.append(_table(("count", "rows"), counts, caption="Rows in and out"))
    total = sum(v for _, v in _numbers(manifest.get("rejected")))
    tables.append(
        _table(
            ("reason", "rows"),
            [*rejected, ("total", _count(total))] if rejected else [("(none)", "0")],
            caption="Rejected rows by reason",
        )
    )
    if fixes:
        tables.append(_table(("fix", "values"), fixes, caption="Values repaired, not rejected"))
    inputs = manifest.get("inputs")
    if isinstance(inputs, list) and inputs:
        tables.append(
            _table(
                ("input", "bytes", "sha256"),
                [
                    (
                        str(f.get("name", f.get("path", "?"))),
                        _count(f["bytes"]) if isinstance(f.get("bytes"), int) else "?",
                        str(f.get("sha256", "?"))[:16] + "…",
                    )
                    for f in inputs
                    if isinstance(f, Mapping)
                ],
                caption="Input files",
            )
        )
    notes = [
        f"schema version {manifest.get('schema_version', 'unknown')}, "
        f"data version {manifest.get('data_version', 'unknown')}."
    ]
    return _Section("ETL run: counts and rejected rows", notes=notes, tables=tables)


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
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Cinemateca EDA report: {esc(edition)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Cinemateca EDA report: {esc(edition)}</h1>",
        '<section id="summary"><h2>Summary</h2>',
        _table(("", ""), summary, caption="What this data holds"),
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

"""The streaming edition's report sections."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib.figure import Figure

from cinemateca_common.contract import PLATFORMS
from etl.report.html import DPI, Section, Summary, figure, png, table_html
from etl.report.sections import missing_section, top_section, value_counts

_KINDS = {"movie": "película", "tv show": "serie"}
_PLATFORM_COLOURS = {
    "amazon": "#1f77b4",
    "disney": "#2ca02c",
    "hulu": "#9467bd",
    "netflix": "#d62728",
}


def sections(t: pa.Table) -> tuple[Summary, list[Section]]:
    """The summary rows and the sections of the streaming report for the titles table ``t``."""
    n = t.num_rows
    summary: Summary = [("edición", "streaming"), ("títulos", f"{n:,}")]
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
        top_section("Países más frecuentes", t["country"], "títulos"),
        _releases_by_year_platform(t, platform),
        top_section("Géneros más frecuentes (listed_in)", t["listed_in"], "títulos"),
        _score_section(t),
        missing_section(t, zero_means_missing=()),
    ]
    return summary, sections


def _platforms(platform: np.ndarray) -> list[str]:
    present = set(platform.tolist())
    return [p for p in PLATFORMS if p in present] + sorted(present - set(PLATFORMS))


def _platform_type_section(platform: np.ndarray, kind: np.ndarray) -> Section:
    platforms = _platforms(platform)
    kinds = sorted(set(kind.tolist()))
    fig, ax = figure(6.5, 3.8)
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
    table = table_html(header, rows, caption="Títulos por plataforma y tipo")
    return Section("Títulos por plataforma y tipo", png(fig), tables=[table])


def _duration_section(t: pa.Table, platform: np.ndarray, kind: np.ndarray) -> Section:
    dur = t["duration_int"].to_numpy(zero_copy_only=False)
    dur = np.asarray(dur, dtype=float)
    dtype = t["duration_type"].to_numpy(zero_copy_only=False).astype(str)
    platforms = _platforms(platform)
    fig = Figure(figsize=(11.0, 3.8), dpi=DPI)
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
    table = table_html(
        (
            "plataforma",
            "minutos (mediana, películas)",
            "temporadas (mediana, series)",
            "sin duración",
        ),
        rows,
        caption="Duraciones por plataforma",
    )
    return Section("Duraciones", png(fig), notes=notes, tables=[table])


def _ratings_section(t: pa.Table, platform: np.ndarray) -> Section:
    rating = t["rating"].to_numpy(zero_copy_only=False).astype(str)
    counts = value_counts(t["rating"])[:25]
    labels = [k for k, _ in counts]
    platforms = _platforms(platform)
    fig, ax = figure(9.0, 4.2, bottom=0.5 + 0.06 * max((len(x) for x in labels), default=2))
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
    return Section("Clasificaciones por edad", png(fig), notes=notes)


def _releases_by_year_platform(t: pa.Table, platform: np.ndarray) -> Section:
    years = np.asarray(t["release_year"].to_numpy(zero_copy_only=False), dtype=float)
    fig, ax = figure(8.0, 3.8)
    for p in _platforms(platform):
        y = years[(platform == p) & ~np.isnan(years)].astype(int)
        if y.size:
            values, counts = np.unique(y, return_counts=True)
            ax.plot(values, counts, label=p, color=_PLATFORM_COLOURS.get(p), linewidth=1.2)
    ax.set_xlabel("año de estreno")
    ax.set_ylabel("títulos")
    if len(platform):
        ax.legend()
    return Section("Estrenos por año", png(fig))


def _score_section(t: pa.Table) -> Section:
    score = np.asarray(t["score_mean"].to_numpy(zero_copy_only=False), dtype=float)
    known = score[~np.isnan(score)]
    fig, ax = figure(6.5, 3.6)
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
    return Section("Distribución del puntaje (score_mean)", png(fig), notes=notes)

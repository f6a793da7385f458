"""The movies edition's report sections."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.report.html import Section, Summary, figure, png, table_html
from etl.report.sections import category_plot, missing_section, top_section, year_plot

MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
WEEKDAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
# Returns above this multiple of the budget are flagged as outliers: almost always a budget
# recorded in millions (e.g. 5 for $5M) or a placeholder such as 1, not a real 1000x hit.
_RETURN_OUTLIER = 1000.0


def sections(t: pa.Table) -> tuple[Summary, list[Section]]:
    """The summary rows and the sections of the movies report for the films table ``t``."""
    n = t.num_rows
    dates = t["release_date"]
    summary: Summary = [("edición", "movies"), ("películas", f"{n:,}")]
    if n and dates.null_count < n:
        summary.append(("fechas de estreno", f"{pc.min(dates).as_py()} a {pc.max(dates).as_py()}"))
    budget = t["budget"].to_numpy(zero_copy_only=False).astype(float)
    revenue = t["revenue"].to_numpy(zero_copy_only=False).astype(float)
    summary.append(("películas con presupuesto", f"{int((budget > 0).sum()):,}"))
    summary.append(("películas con recaudación", f"{int((revenue > 0).sum()):,}"))

    sections = [
        Section("Estrenos por año", year_plot(t["release_year"], "películas estrenadas")),
        Section(
            "Estrenos por mes",
            category_plot(t["release_month"], range(1, 13), MONTHS, "películas estrenadas"),
            notes=[
                "Muchas películas tienen el 1 de enero como fecha cuando solo se conoce el año."
            ],
        ),
        Section(
            "Estrenos por día de la semana",
            category_plot(t["release_weekday"], range(7), WEEKDAYS, "películas estrenadas"),
        ),
        _budget_revenue_section(t, budget, revenue),
        _return_section(t, budget, revenue),
        top_section("Géneros más frecuentes", t["genres"], "películas"),
        top_section("Países de producción más frecuentes", t["production_countries"], "películas"),
        top_section("Productoras más frecuentes", t["production_companies"], "películas"),
        top_section("Colecciones más frecuentes", t["collection_name"], "películas"),
        missing_section(t, zero_means_missing=("budget", "revenue", "runtime")),
    ]
    return summary, sections


def _budget_revenue_section(t: pa.Table, budget: np.ndarray, revenue: np.ndarray) -> Section:
    both = (budget > 0) & (revenue > 0)
    fig, ax = figure(6.5, 5.0, left=0.9)
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
    return Section("Presupuesto y recaudación", png(fig), notes=notes)


def _return_section(t: pa.Table, budget: np.ndarray, revenue: np.ndarray) -> Section:
    ret = t["return"].to_numpy(zero_copy_only=False).astype(float)
    with_budget = budget > 0
    positive = with_budget & (ret > 0)
    fig, ax = figure(6.5, 3.8)
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
            table_html(
                ("título", "año", "presupuesto", "recaudación", "retorno"),
                [
                    (str(ti), str(y), f"{budget[i]:,.0f}", f"{revenue[i]:,.0f}", f"{ret[i]:,.0f}")
                    for ti, y, i in zip(titles, years, rows_idx, strict=True)
                ],
                caption="Mayores retornos (valores atípicos)",
            )
        )
    return Section("Distribución del retorno", png(fig), notes=notes, tables=tables)

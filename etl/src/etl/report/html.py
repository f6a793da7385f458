"""The report's page: sections rendered as one self-contained HTML file, plots as base64 PNG."""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cinemateca_common.contract import Edition

DPI = 80
Summary = list[tuple[str, str]]  # (label, value) rows of the report's first table


@dataclass
class Section:
    """One heading of the report: optional plot, optional paragraphs and tables."""

    title: str
    image: str | None = None
    notes: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def figure(
    width: float, height: float, *, left: float = 0.8, bottom: float = 0.55, top: float = 0.15
) -> tuple[Figure, Axes]:
    """A figure with one axes and fixed margins in inches.

    Fixed margins instead of a layout engine: constrained or tight layout draws every figure twice,
    which doubles the report's time.
    """
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(
        left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - top / height
    )
    ax = fig.subplots()
    return fig, ax


def label_inches(labels: Iterable[str]) -> float:
    """Room for the longest tick label at the default 10 pt font (about 0.075 in per character)."""
    return 0.3 + 0.075 * max((len(label) for label in labels), default=4)


def png(fig: Figure) -> str:
    """The figure as a base64 PNG data URI."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # Names in scripts the bundled font lacks (CJK company names) render as boxes: fine here.
        warnings.filterwarnings(
            "ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning
        )
        fig.savefig(buf, format="png", dpi=DPI)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table_html(header: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str) -> str:
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


def render_page(
    edition: Edition, summary: Sequence[tuple[str, str]], sections: Sequence[Section]
) -> str:
    esc: Callable[[str], str] = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="es"><head><meta charset="utf-8">',
        f"<title>Cinemateca: análisis exploratorio (EDA) de {esc(edition)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Cinemateca: análisis exploratorio (EDA) de {esc(edition)}</h1>",
        '<section id="resumen"><h2>Resumen</h2>',
        table_html(("", ""), summary, caption="Qué contienen estos datos"),
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

"""``/buscar`` at full scale: our search index against a plain rapidfuzz scan over every title.

The queries are drawn from the catalogue's own titles, a quarter of each kind a person types:

* ``exact``: a whole title ("Toy Story");
* ``prefix``: its first 3 to 10 characters, as typed in a search box ("toy st");
* ``words``: one or two of its words of 4+ letters, in any order ("story");
* ``typo``: the whole title with one letter dropped, doubled or swapped ("Toy Sotry").

Ours is :meth:`query.titles.TitleCatalogue.search` (page 1 of 20, the answer the route returns). The
baseline is the obvious implementation: ``rapidfuzz.process.extract(q, titles, limit=20)`` (WRatio
over every title) per query.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz import process

from bench.report import percentile, print_heading, verdict
from query.titles import TitleCatalogue

KINDS: Final = ("exact", "prefix", "words", "typo")
MAX_P50_MS: Final = 5.0
PER_PAGE: Final = 20


@dataclass(frozen=True)
class SearchFigures:
    """Latencies in ms per query kind (ours and the baseline's) and the verdict."""

    ours: dict[str, list[float]]
    baseline: dict[str, list[float]]
    build_s: float

    def summary(self) -> dict[str, Any]:
        every = [t for times in self.ours.values() for t in times]
        base = [t for times in self.baseline.values() for t in times]
        p50, base_p50 = statistics.median(every), statistics.median(base)
        return {
            "titles_index_build_s": self.build_s,
            "queries": len(every),
            "baseline_queries": len(base),
            "p50_ms": p50,
            "p99_ms": percentile(every, 99),
            "baseline_p50_ms": base_p50,
            "baseline_p99_ms": percentile(base, 99),
            "ratio": base_p50 / p50,
            "per_kind": {
                kind: {
                    "p50_ms": statistics.median(self.ours[kind]),
                    "p99_ms": percentile(self.ours[kind], 99),
                    "baseline_p50_ms": statistics.median(self.baseline[kind]),
                }
                for kind in KINDS
            },
            "pass": p50 <= MAX_P50_MS,
        }


def _typo(title: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(title) if ch.isalpha()]
    if len(letters) < 4:
        return title + title[-1]
    i = rng.choice(letters[1:-1])
    edit = rng.randrange(3)
    if edit == 0:
        return title[:i] + title[i + 1 :]
    if edit == 1:
        return title[:i] + title[i] + title[i:]
    return title[:i] + title[i + 1] + title[i] + title[i + 2 :]


def queries(titles: Sequence[str], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """``n`` (kind, query) pairs, the four kinds in equal shares, shuffled."""
    out: list[tuple[str, str]] = []
    while len(out) < n:
        title = rng.choice(titles)
        kind = KINDS[len(out) % len(KINDS)]
        if kind == "exact":
            out.append((kind, title))
        elif kind == "prefix":
            out.append((kind, title[: rng.randint(3, 10)].lower()))
        elif kind == "words":
            words = [w for w in title.split() if len(w) >= 4 and w.isalpha()]
            if not words:
                continue
            picked = rng.sample(words, min(len(words), rng.randint(1, 2)))
            out.append((kind, " ".join(picked).lower()))
        else:
            out.append((kind, _typo(title, rng)))
    rng.shuffle(out)
    return out


def _time(
    calls: Sequence[tuple[str, str]], function: Callable[[str], Any]
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    clock = time.perf_counter_ns
    for kind, query in calls:
        started = clock()
        function(query)
        timings[kind].append((clock() - started) / 1e6)
    return timings


def run(
    catalogue_factory: Callable[[], TitleCatalogue],
    titles: list[str],
    n: int,
    n_base: int,
    rng: random.Random,
) -> SearchFigures:
    """Build the catalogue, then time ``n`` searches on it and ``n_base`` on the baseline."""
    started = time.perf_counter()
    catalogue = catalogue_factory()
    build_s = time.perf_counter() - started
    calls = queries(titles, n, rng)
    ours = _time(calls, lambda q: catalogue.search(q, 1, PER_PAGE))
    base = _time(calls[:n_base], lambda q: process.extract(q, titles, limit=PER_PAGE))
    return SearchFigures(ours=ours, baseline=base, build_s=build_s)


def report(figures: SearchFigures, titles: int) -> dict[str, Any]:
    """Print the table and the verdict; return the figures for the results file."""
    summary = figures.summary()
    print()
    print(
        f"/buscar on {titles:,} titles: {summary['queries']:,} queries (TitleCatalogue.search, page 1 "
        f"of {PER_PAGE}); baseline: {summary['baseline_queries']:,} plain rapidfuzz "
        "process.extract scans (WRatio, every title); index built in "
        f"{figures.build_s:.2f} s"
    )
    header = (
        f"{'query kind':<12}{'queries':>9}{'ours p50 ms':>13}{'ours p99 ms':>13}"
        f"{'base p50 ms':>13}{'base p99 ms':>13}{'ratio':>9}"
    )
    print_heading(header)
    rows = [(kind, figures.ours[kind], figures.baseline[kind]) for kind in KINDS]
    rows.append(
        (
            "all",
            [t for kind in KINDS for t in figures.ours[kind]],
            [t for kind in KINDS for t in figures.baseline[kind]],
        )
    )
    for name, ours, base in rows:
        p50, base_p50 = statistics.median(ours), statistics.median(base)
        print(
            f"{name:<12}{len(ours):>9,}{p50:>13.3f}{percentile(ours, 99):>13.3f}"
            f"{base_p50:>13.3f}{percentile(base, 99):>13.3f}{base_p50 / p50:>8.0f}x"
        )
    print(
        f"target: search p50 <= {MAX_P50_MS:.0f} ms: {summary['p50_ms']:.3f} ms, "
        f"{summary['ratio']:.0f}x faster than the scan: {verdict(summary['pass'])}"
    )
    return summary

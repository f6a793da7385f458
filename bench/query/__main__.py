"""In-process latency of the twelve query statistics against the notebook baseline, at full scale.

``uv run python -m bench.query [--calls 10000] [--baseline-calls 1200] [--rows 45466] [--seed 0]``

1. Generate (or reuse from ``bench/.cache/``) the full-scale raw movies catalogue (``bench.catalogue``:
   45,466 rows from the real sample) beside the real streaming catalogues, and run the real ETL on
   it (``etl.pipeline.run_edition``; an unchanged input is not rebuilt).
2. Build ``MovieStats`` and ``StreamingStats`` from the ETL output, as the service's lifespan does.
3. Time ``--calls`` mixed calls (the twelve endpoints shuffled, arguments drawn from the data) on
   the statistics objects, then the same sequence through the route functions, then
   ``--baseline-calls`` of the same mix on the baseline that filters the DataFrame per call
   (``bench.query.baseline``). Each call is timed alone with ``perf_counter_ns``.
4. Print per endpoint the median and p99 in µs, the ratio baseline median / ours median and
   PASS/FAIL against the targets: median <= 200 µs and >= 20x faster than the baseline.
5. Time ``--searches`` ``/buscar`` queries (exact titles, prefixes, words, typos drawn from the
   45,000 generated titles) on the movies ``TitleCatalogue`` against ``--baseline-searches`` plain
   rapidfuzz ``process.extract`` scans over every title (``bench.query.search``); print p50/p99 of
   both and the ratio; target: p50 <= 5 ms.

Exit status 0 when every endpoint and the search pass, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bench.catalogue import CACHE_DIR, FULL_ROWS, add_raw_data_option, cached_data_dir
from bench.query import search
from bench.query.baseline import MONTHS, Baseline
from bench.report import percentile, print_heading, verdict, write_results
from cinemateca_common.contract import EDITIONS, PLATFORMS
from cinemateca_common.errors import DomainError
from cinemateca_common.text import fold
from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from query import routes
from query.data import MOVIE_COLUMNS, TITLE_COLUMNS
from query.movies import WEEKDAYS, MovieStats
from query.streaming import StreamingStats
from query.titles import TitleCatalogue

MAX_MEDIAN_US = 200.0
MIN_SPEEDUP = 20.0


@dataclass(frozen=True)
class Call:
    """One mixed call: the endpoint, the arguments for our code and for the baseline."""

    endpoint: str
    ours: tuple[Any, ...]
    baseline: tuple[Any, ...]


def processed_dir(sample_dir: Path, rows: int, seed: int) -> Path:
    """ETL output of the generated full-scale movies and the real streaming catalogues (cached)."""
    data_dir = cached_data_dir(sample_dir, n_rows=rows, seed=seed)
    out = CACHE_DIR / f"query-processed-{rows}-s{seed}"
    settings = EtlSettings(data_dir=data_dir, processed_dir=out)
    for edition in EDITIONS:
        started = time.perf_counter()
        result = run_edition(edition, settings)
        state = "up to date" if result.skipped else "built"
        print(
            f"etl {edition}: {state}, {result.rows_out:,} rows, data version "
            f"{result.data_version} ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    return out


def workload(movies: pd.DataFrame, titles: pd.DataFrame, n: int, rng: random.Random) -> list[Call]:
    """``n`` calls, the twelve endpoints in equal shares, shuffled; arguments drawn from the data."""
    collections = sorted(set(movies["collection_name"].dropna()))
    countries = sorted({c for cell in movies["production_countries"] for c in cell})
    companies = sorted({c for cell in movies["production_companies"] for c in cell})
    film_titles = sorted(set(movies["title"]))
    movie_rows = titles[titles["type"] == "movie"]
    timed = movie_rows[movie_rows["duration_type"].notna()]
    longest = sorted(
        set(zip(timed["release_year"], timed["platform"], timed["duration_type"], strict=True))
    )
    scored = sorted(set(zip(movie_rows["platform"], movie_rows["release_year"], strict=True)))
    with_cast = titles[titles["cast"].map(len) > 0]
    actor_keys = sorted(set(zip(with_cast["platform"], with_cast["release_year"], strict=True)))
    per_country = sorted(
        {
            (kind, country, int(year))
            for kind, cell, year in zip(
                titles["type"], titles["country"], titles["release_year"], strict=True
            )
            for country in cell
        }
    )
    ratings = sorted(set(titles["rating"]))
    month_names = list(MONTHS)

    def make(endpoint: str) -> Call:
        if endpoint == "peliculas_mes":
            mes = rng.choice(month_names)
            return Call(endpoint, (mes,), (mes,))
        if endpoint == "peliculas_dia":
            number = rng.randrange(7)
            return Call(endpoint, (WEEKDAYS[number],), (fold(WEEKDAYS[number]),))
        if endpoint == "franquicia":
            name = rng.choice(collections)
            return Call(endpoint, (name,), (name,))
        if endpoint == "peliculas_pais":
            name = rng.choice(countries)
            return Call(endpoint, (name,), (name,))
        if endpoint == "productoras":
            name = rng.choice(companies)
            return Call(endpoint, (name,), (name,))
        if endpoint == "retorno":
            title = rng.choice(film_titles)
            return Call(endpoint, (title,), (title,))
        if endpoint == "get_max_duration":
            year, platform, kind = rng.choice(longest)
            return Call(endpoint, (int(year), platform, kind), (int(year), platform, kind))
        if endpoint == "get_score_count":
            platform, year = rng.choice(scored)
            score = round(rng.uniform(3.3, 3.7), 2)
            return Call(endpoint, (platform, score, int(year)), (platform, score, int(year)))
        if endpoint == "get_count_platform":
            platform = rng.choice(PLATFORMS)
            return Call(endpoint, (platform,), (platform,))
        if endpoint == "get_actor":
            platform, year = rng.choice(actor_keys)
            return Call(endpoint, (platform, int(year)), (platform, int(year)))
        if endpoint == "prod_per_county":
            kind, country, year = rng.choice(per_country)
            return Call(endpoint, (kind, country, year), (kind, country, year))
        if endpoint == "get_contents":
            rating = rng.choice(ratings)
            return Call(endpoint, (rating,), (rating,))
        raise ValueError(endpoint)

    calls = [make(ENDPOINTS[i % len(ENDPOINTS)]) for i in range(n)]
    rng.shuffle(calls)
    return calls


ENDPOINTS = (
    "peliculas_mes",
    "peliculas_dia",
    "franquicia",
    "peliculas_pais",
    "productoras",
    "retorno",
    "get_max_duration",
    "get_score_count",
    "get_count_platform",
    "get_actor",
    "prod_per_county",
    "get_contents",
)


def stats_functions(movies: MovieStats, streaming: StreamingStats) -> dict[str, Callable[..., Any]]:
    return {
        "peliculas_mes": movies.movies_in_month,
        "peliculas_dia": movies.movies_on_weekday,
        "franquicia": movies.collection,
        "peliculas_pais": movies.movies_from_country,
        "productoras": movies.company,
        "retorno": movies.film_return,
        "get_max_duration": streaming.longest_movie,
        "get_score_count": streaming.movies_scored_above,
        "get_count_platform": streaming.movies_on_platform,
        "get_actor": streaming.top_actor,
        "prod_per_county": streaming.titles_from_country,
        "get_contents": streaming.titles_rated,
    }


def route_functions(movies: MovieStats, streaming: StreamingStats) -> dict[str, Callable[..., Any]]:
    """The route handlers themselves (plain ``def``), with the dependency already resolved."""
    functions: dict[str, Callable[..., Any]] = {}
    for name in ENDPOINTS:
        handler = getattr(routes, name)
        stats: MovieStats | StreamingStats = movies if name in ENDPOINTS[:6] else streaming

        def call(*args: Any, _handler: Any = handler, _stats: Any = stats) -> Any:
            return _handler(_stats, *args)

        functions[name] = call
    return functions


def baseline_functions(baseline: Baseline) -> dict[str, Callable[..., Any]]:
    return {name: getattr(baseline, name) for name in ENDPOINTS}


def run(
    calls: Sequence[Call], functions: dict[str, Callable[..., Any]], *, baseline: bool
) -> tuple[dict[str, list[float]], list[Any]]:
    """Per endpoint the latency of every call in µs, and every call's answer in call order."""
    timings: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    answers: list[Any] = []
    clock = time.perf_counter_ns
    for call in calls:
        function = functions[call.endpoint]
        args = call.baseline if baseline else call.ours
        started = clock()
        try:
            answer = function(*args)
        except DomainError as exc:  # pragma: no cover - the workload draws only existing keys
            raise SystemExit(f"{call.endpoint}{args}: {exc}") from exc
        timings[call.endpoint].append((clock() - started) / 1000)
        answers.append(answer)
    return timings, answers


# The figure compared between our answer and the baseline's (the count, the title, the actor).
_FIGURE = {"peliculas_mes": "cantidad", "peliculas_dia": "cantidad", "franquicia": "cantidad"}
_FIGURE |= {"peliculas_pais": "cantidad", "productoras": "cantidad", "prod_per_county": "pelicula"}
_FIGURE |= {"retorno": "anio"}


def agreement(
    calls: Sequence[Call], ours: list[Any], base: list[Any]
) -> dict[str, tuple[int, int]]:
    """Per endpoint: calls whose figure is the same in both answers, and calls compared."""
    counts: dict[str, list[int]] = {name: [0, 0] for name in ENDPOINTS}
    for call, mine, theirs in zip(calls, ours, base, strict=False):
        key = _FIGURE.get(call.endpoint)
        same = getattr(mine, key) == theirs[key] if key else mine == theirs
        counts[call.endpoint][0] += int(same)
        counts[call.endpoint][1] += 1
    return {name: (same, total) for name, (same, total) in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.query", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--calls", type=int, default=10_000, help="mixed calls on our code")
    parser.add_argument(
        "--baseline-calls", type=int, default=1_200, help="mixed calls on the baseline"
    )
    parser.add_argument("--searches", type=int, default=4_000, help="/buscar queries on ours")
    parser.add_argument(
        "--baseline-searches", type=int, default=200, help="/buscar queries on the baseline scan"
    )
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help="movies_dataset.csv rows")
    parser.add_argument("--seed", type=int, default=0)
    add_raw_data_option(parser, holding="movies/ and streaming/")
    args = parser.parse_args(argv)

    out = processed_dir(args.sample_dir, args.rows, args.seed)
    movies_df = pd.read_parquet(out / "movies" / "movies.parquet")
    titles_df = pd.read_parquet(out / "streaming" / "titles.parquet")
    started = time.perf_counter()
    movies = MovieStats(movies_df[MOVIE_COLUMNS])
    streaming = StreamingStats(titles_df[TITLE_COLUMNS])
    build_s = time.perf_counter() - started
    print(
        f"indexes: {movies.rows:,} movies and {streaming.rows:,} streaming titles in {build_s:.2f} s",
        flush=True,
    )
    baseline = Baseline(movies_df, titles_df)

    rng = random.Random(args.seed)
    calls = workload(movies_df, titles_df, args.calls, rng)
    base_calls = calls[: args.baseline_calls]
    ours, our_answers = run(calls, stats_functions(movies, streaming), baseline=False)
    via_routes, _ = run(calls, route_functions(movies, streaming), baseline=False)
    base, base_answers = run(base_calls, baseline_functions(baseline), baseline=True)
    agree = agreement(base_calls, our_answers, base_answers)

    # Informational: a misspelled title is a 404 whose suggestions scan every title with rapidfuzz.
    misses = [title + "x" for title in rng.sample(sorted(set(movies_df["title"])), 100)]
    miss_us: list[float] = []
    for title in misses:
        begun = time.perf_counter_ns()
        with contextlib.suppress(DomainError):
            movies.film_return(title)
        miss_us.append((time.perf_counter_ns() - begun) / 1000)

    header = (
        f"{'endpoint':<20}{'calls':>7}{'ours med µs':>13}{'ours p99 µs':>13}{'route med µs':>14}"
        f"{'base calls':>12}{'base med µs':>13}{'base p99 µs':>13}{'ratio':>9}{'same':>10}  verdict"
    )
    print()
    print(
        f"{args.calls:,} mixed calls on {movies.rows:,} movies (generated, real ETL) and "
        f"{streaming.rows:,} streaming titles (real); baseline: {len(base_calls):,} calls of the same mix"
    )
    print_heading(header)
    rows: dict[str, dict[str, Any]] = {}
    for name in ENDPOINTS:
        ours_med = statistics.median(ours[name])
        ours_p99 = percentile(ours[name], 99)
        route_med = statistics.median(via_routes[name])
        base_med = statistics.median(base[name])
        base_p99 = percentile(base[name], 99)
        ratio = base_med / ours_med
        ok = ours_med <= MAX_MEDIAN_US and ratio >= MIN_SPEEDUP
        rows[name] = {
            "calls": len(ours[name]),
            "ours_median_us": ours_med,
            "ours_p99_us": ours_p99,
            "route_median_us": route_med,
            "baseline_calls": len(base[name]),
            "baseline_median_us": base_med,
            "baseline_p99_us": base_p99,
            "ratio": ratio,
            "same_answer_as_baseline": list(agree[name]),
            "pass": ok,
        }
        print(
            f"{name:<20}{len(ours[name]):>7,}{ours_med:>13.1f}{ours_p99:>13.1f}{route_med:>14.1f}"
            f"{len(base[name]):>12,}{base_med:>13.1f}{base_p99:>13.1f}{ratio:>8.0f}x"
            f"{agree[name][0]:>5}/{agree[name][1]:<4}  {verdict(ok)}"
        )
    print(
        "same: calls where our answer equals the baseline's (count, title, actor, year); the "
        "baseline matches countries and companies by substring and answers the first row of a "
        "repeated title, ours by whole element and the most popular one"
    )
    print()
    print(
        f"404 with suggestions (misspelled title, {len(misses)} calls, not a target): "
        f"median {statistics.median(miss_us):,.0f} µs, p99 {percentile(miss_us, 99):,.0f} µs"
    )
    passed = all(r["pass"] for r in rows.values())
    print(
        f"targets: median <= {MAX_MEDIAN_US:.0f} µs and >= {MIN_SPEEDUP:.0f}x the baseline on every "
        f"endpoint: {verdict(passed)}"
    )

    features_df = pd.read_parquet(out / "movies" / "movie_features.parquet")
    figures = search.run(
        lambda: TitleCatalogue.movies(movies_df, features_df),
        movies_df["title"].astype(str).tolist(),
        args.searches,
        args.baseline_searches,
        rng,
    )
    searched = search.report(figures, len(movies_df))
    passed = passed and searched["pass"]

    write_results(
        "query",
        {
            "movies": movies.rows,
            "streaming_titles": streaming.rows,
            "calls": args.calls,
            "baseline_calls": len(base_calls),
            "index_build_s": build_s,
            "endpoints": rows,
            "miss_median_us": statistics.median(miss_us),
            "search": searched,
            "passed": passed,
            "cpus": os.cpu_count(),
        },
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

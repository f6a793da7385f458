"""Recommender at full scale: generated catalogue and ratings, training, service, ratings read.

``uv run python -m bench.recommender [--rows 45466] [--ratings 26024289] [--seed 0] [--requests 300]
[--only read,train,serve,dense] [--skip-train]``

1. Generate (or reuse, ``bench.catalogue``) a full-size raw movies folder from the real sample, with
   MovieLens ``links.csv`` and a ``ratings.csv`` the size of the full one (26,024,289 ratings by
   270,896 users over the generated films), and run the real ETL on it (movies; streaming is the
   real catalogue) into ``bench/.cache/``.
2. ``read``: ``recommender.ratings.read_ratings`` on the generated ratings into a users x titles CSR
   matrix, in a child per parser (pandas chunks, the default, and pyarrow's streaming reader):
   seconds, peak RSS, counts (rows, unmapped, duplicates), the data's shape.
3. ``train``: ``recommender.train`` per edition in a child process with the generated folder as its
   raw data (``--data-dir``, ratings included): wall time and peak RSS of the child and its children
   (the larger of a 50 ms psutil poll of the process tree and ``wait4``'s ``ru_maxrss``).
4. ``serve``: start the real service (``uvicorn recommender.app:create_app --factory``) as a child,
   poll ``/health`` every 10 ms: cold start to ready, RSS after load; latency in-process
   (``Recommender.recommend`` for random titles, title resolution included) and over HTTP (httpx on
   127.0.0.1, ``/recomendaciones/{titulo}``), median and p99.
5. ``dense``: the usual approach in a child: dense ``cosine_similarity`` on TF-IDF of the overview for
   the largest subset whose float64 n x n matrix fits in 2 GB: memory, build time, latency, share.

Prints PASS/FAIL against the targets of the parts run (training <= 5 min and <= 4 GB, service RSS
<= 300 MB, cold start <= 3 s, median in-process latency <= 1 ms, whole catalogue served); writes
``bench/results/recommender.json``. Exit status 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import numpy as np
import psutil
import pyarrow.parquet as pq

from bench.catalogue import (
    CACHE_DIR,
    FULL_RATINGS,
    FULL_ROWS,
    REPO_ROOT,
    add_raw_data_option,
    cached_data_dir,
)
from bench.report import percentile, print_heading, tree_rss, verdict, write_results
from cinemateca_common.contract import EDITIONS
from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from recommender.model import Recommender

MAX_TRAIN_S = 300.0
MAX_TRAIN_RSS_MB = 4096.0
MAX_SERVICE_RSS_MB = 300.0
MAX_COLD_START_S = 3.0
MAX_MEDIAN_MS = 1.0
DENSE_BUDGET_BYTES = 2 * 2**30


@dataclass(frozen=True)
class ChildRun:
    """Wall time and peak RSS of one child process (its own children included)."""

    wall_s: float
    peak_rss_mb: float
    stdout: str


def run_child(args: list[str], env: dict[str, str] | None = None, echo: bool = False) -> ChildRun:
    """Run a Python child; peak RSS = max of a 50 ms psutil poll of its process tree (sum) and
    ``ru_maxrss`` from ``wait4`` (the largest single process of the tree). Output is read by a
    thread (no pipe stall on long logs) and, with ``echo``, printed as it comes."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line)
            if echo:
                print(f"  | {line.rstrip()}", flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    proc = psutil.Process(child.pid)
    peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(proc))
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    reader.join()
    if child.stdout is not None:
        child.stdout.close()
    out = "".join(lines)
    if child.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed ({child.returncode}):\n{out}")
    peak = max(peak, usage.ru_maxrss * 1024)
    return ChildRun(wall_s=wall, peak_rss_mb=peak / 2**20, stdout=out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_and_measure(model_dir: Path, titles: list[str], requests: int) -> dict[str, float]:
    """Start the real service, time cold start to a 200 /health, then its RSS and HTTP latency."""
    port = free_port()
    started = time.perf_counter()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "recommender.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "MODEL_DIR": str(model_dir), "LOG_LEVEL": "WARNING"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5.0) as client:
            deadline = started + 60
            while True:
                if child.poll() is not None:
                    raise SystemExit(f"service exited with {child.returncode}")
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() > deadline:
                    raise SystemExit("service not ready after 60 s")
                time.sleep(0.01)
            cold = time.perf_counter() - started
            rss_loaded = psutil.Process(child.pid).memory_info().rss / 2**20
            rng = np.random.default_rng(1)
            picks = [titles[i] for i in rng.integers(0, len(titles), size=requests)]
            times = []
            for title in picks:
                t0 = time.perf_counter()
                r = client.get(f"/recomendaciones/{quote(title, safe='')}", params={"k": 5})
                times.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise SystemExit(f"/recomendaciones/{title} -> {r.status_code} {r.text}")
            rss_after = psutil.Process(child.pid).memory_info().rss / 2**20
    finally:
        child.terminate()
        child.wait(timeout=10)
    return {
        "cold_start_s": cold,
        "rss_loaded_mb": rss_loaded,
        "rss_after_requests_mb": rss_after,
        "http_median_ms": percentile(times, 50) * 1e3,
        "http_p99_ms": percentile(times, 99) * 1e3,
    }


def in_process_latency(model_dir: Path, requests: int) -> dict[str, float]:
    """Median and p99 of ``Recommender.recommend(title, k=5)`` over random titles, after a warm-up."""
    model = Recommender.load(model_dir, "movies")
    rng = np.random.default_rng(2)
    picks = [model.titles[i] for i in rng.integers(0, len(model), size=requests)]
    for title in picks[:50]:
        model.recommend(title, k=5)
    times = []
    for title in picks:
        t0 = time.perf_counter()
        model.recommend(title, k=5)
        times.append(time.perf_counter() - t0)
    return {
        "median_ms": percentile(times, 50) * 1e3,
        "p99_ms": percentile(times, 99) * 1e3,
        "titles": float(len(model)),
    }


PARTS = ("read", "train", "serve", "dense")
Row = tuple[str, str, str, bool | None]  # figure, measured value, target, verdict


def _parts(only: str | None, skip_train: bool) -> list[str]:
    chosen = PARTS if only is None else tuple(p.strip() for p in only.split(",") if p.strip())
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        raise SystemExit(f"--only: unknown part(s) {', '.join(unknown)}; valid: {', '.join(PARTS)}")
    return [p for p in PARTS if p in chosen and not (skip_train and p == "train")]


def read_benchmark(movies_raw: Path, processed: Path, chunk_rows: int) -> list[dict[str, Any]]:
    """``read_ratings`` on the generated file in a child per parser; one dict of figures each."""
    ratings = next(movies_raw.glob("ratings.csv*"))
    ids = pq.read_table(processed / "movies" / "movies.parquet", columns=["id"]).column("id")
    ids_path = CACHE_DIR / "recommender-catalogue-ids.npy"
    np.save(ids_path, ids.to_numpy().astype(np.int64))
    runs = []
    for engine in ("pandas", "pyarrow"):
        print(f"--- reading {ratings.name} with read_ratings(engine={engine!r})", flush=True)
        run = run_child(
            [
                "-m",
                "bench.recommender.reader",
                engine,
                str(ratings),
                str(movies_raw / "links.csv"),
                str(ids_path),
                str(chunk_rows),
            ]
        )
        figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
        figures["wall_s"] = run.wall_s
        figures["peak_rss_mb"] = run.peak_rss_mb
        figures["file_mb"] = ratings.stat().st_size / 1e6
        runs.append(figures)
    return runs


def print_read(runs: list[dict[str, Any]]) -> None:
    first = runs[0]
    print(
        f"\nratings read: {first['rows_read']:,} rows ({first['file_mb']:,.0f} MB) -> "
        f"{first['users']:,} users x {first['items']:,} titles, {first['kept']:,} ratings kept, "
        f"{first['unmapped']:,} unmapped, {first['duplicates']:,} duplicates dropped; "
        f"CSR {first['matrix_mb']:,.0f} MB"
    )
    print(
        f"data shape: ratings per user median {first['user_median']:.0f}, max "
        f"{first['user_max']:,}; per title max {first['item_max']:,}, median "
        f"{first['item_median_rated']:.0f} ({first['items_rated']:,} titles rated); top tenth of "
        f"the titles holds {first['top_decile_share']:.0%} of the ratings; mean rating "
        f"{first['mean_rating']:.2f}"
    )
    header = f"{'parser':<34}{'read s':>10}{'child wall s':>14}{'peak RSS MB':>14}{'rows/s':>14}"
    print_heading(header)
    for run in runs:
        name = "pandas chunks (default)" if run["engine"] == "pandas" else "pyarrow streaming"
        print(
            f"{name:<34}{run['seconds']:>10.1f}{run['wall_s']:>14.1f}{run['peak_rss_mb']:>14,.0f}"
            f"{run['rows_read'] / run['seconds']:>14,.0f}"
        )


def train(processed: Path, models: Path, data_dir: Path) -> dict[str, ChildRun]:
    """Both editions, each in a child with the generated raw folder (ratings included)."""
    runs: dict[str, ChildRun] = {}
    for edition in EDITIONS:
        print(f"--- training {edition} in a child process (raw data {data_dir})", flush=True)
        runs[edition] = run_child(
            [
                "-m",
                "recommender.train",
                edition,
                "--force",
                "--processed-dir",
                str(processed),
                "--model-dir",
                str(models),
                "--data-dir",
                str(data_dir),
            ],
            env={"DATA_DIR": str(data_dir)},
            echo=True,
        )
    return runs


def train_rows(runs: dict[str, ChildRun]) -> list[Row]:
    movies, streaming = runs["movies"], runs["streaming"]
    return [
        (
            "training wall s (movies + ratings)",
            f"{movies.wall_s:.1f}",
            f"<= {MAX_TRAIN_S:.0f}",
            movies.wall_s <= MAX_TRAIN_S,
        ),
        (
            "training peak RSS MB (movies)",
            f"{movies.peak_rss_mb:,.0f}",
            f"<= {MAX_TRAIN_RSS_MB:,.0f}",
            movies.peak_rss_mb <= MAX_TRAIN_RSS_MB,
        ),
        (
            "training wall s / peak MB (streaming)",
            f"{streaming.wall_s:.1f} / {streaming.peak_rss_mb:,.0f}",
            "",
            None,
        ),
    ]


def serve_rows(models: Path, processed: Path, requests: int) -> tuple[list[Row], dict[str, Any]]:
    catalogue = pq.read_metadata(processed / "movies" / "movies.parquet").num_rows
    meta_path = models / "movies" / "metadata.json"
    if not meta_path.is_file():
        raise SystemExit(f"no trained movies model in {models}: run the train part first")
    meta = json.loads(meta_path.read_text())
    print("--- service cold start, RSS and HTTP latency", flush=True)
    titles = Recommender.load(models, "movies").titles
    served = serve_and_measure(models, titles, requests)
    local = in_process_latency(models, 5 * requests)
    artifact_mb = sum(p.stat().st_size for p in (models / "movies").iterdir()) / 2**20
    rows: list[Row] = [
        (
            "catalogue titles served (movies)",
            f"{int(meta['n_titles']):,} of {catalogue:,}",
            "whole catalogue",
            int(meta["n_titles"]) == catalogue,
        ),
        ("model size MB (movies)", f"{artifact_mb:.1f}", "", None),
        (
            "service RSS after load MB",
            f"{served['rss_loaded_mb']:.0f}",
            f"<= {MAX_SERVICE_RSS_MB:.0f}",
            served["rss_loaded_mb"] <= MAX_SERVICE_RSS_MB,
        ),
        ("service RSS after requests MB", f"{served['rss_after_requests_mb']:.0f}", "", None),
        (
            "cold start to ready s",
            f"{served['cold_start_s']:.2f}",
            f"<= {MAX_COLD_START_S:.0f}",
            served["cold_start_s"] <= MAX_COLD_START_S,
        ),
        (
            "in-process latency median ms",
            f"{local['median_ms']:.3f}",
            f"<= {MAX_MEDIAN_MS}",
            local["median_ms"] <= MAX_MEDIAN_MS,
        ),
        ("in-process latency p99 ms", f"{local['p99_ms']:.3f}", "", None),
        (
            "HTTP latency median / p99 ms",
            f"{served['http_median_ms']:.2f} / {served['http_p99_ms']:.2f}",
            "",
            None,
        ),
    ]
    figures = {
        "n_titles": int(meta["n_titles"]),
        "service": served,
        "in_process": local,
        "artifact_mb": artifact_mb,
    }
    return rows, figures


def dense_baseline(processed: Path, requests: int) -> tuple[dict[str, Any], ChildRun, int]:
    n_titles = pq.read_metadata(processed / "movies" / "movies.parquet").num_rows
    n_dense = min(n_titles, math.isqrt(DENSE_BUDGET_BYTES // 8))
    print(
        f"--- usual approach: dense cosine_similarity on {n_dense:,} titles (float64, <= 2 GB)",
        flush=True,
    )
    run = run_child(
        ["-m", "bench.recommender.baseline", str(processed), str(n_dense), str(requests)]
    )
    figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures, run, n_titles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.recommender", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help="movies_dataset.csv rows")
    parser.add_argument(
        "--ratings", type=int, default=FULL_RATINGS, help="generated ratings.csv rows (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--requests", type=int, default=300, help="HTTP requests to time")
    parser.add_argument("--chunk-rows", type=int, default=2_000_000, help="ratings read chunks")
    parser.add_argument(
        "--only", help=f"comma-separated parts to run ({', '.join(PARTS)}; default all)"
    )
    parser.add_argument(
        "--skip-train", action="store_true", help="reuse the models of an earlier run"
    )
    add_raw_data_option(parser)
    args = parser.parse_args(argv)
    parts = _parts(args.only, args.skip_train)
    if "read" in parts and args.ratings <= 0:
        raise SystemExit("the read part needs ratings: --ratings must be positive")

    data_dir = cached_data_dir(
        args.sample_dir, n_rows=args.rows, seed=args.seed, n_ratings=args.ratings
    )
    processed = CACHE_DIR / f"recommender-processed-{args.rows}-s{args.seed}"
    models = CACHE_DIR / f"recommender-models-{args.rows}-s{args.seed}-r{args.ratings}"
    etl_settings = EtlSettings(data_dir=data_dir, processed_dir=processed)
    for edition in EDITIONS:
        run_edition(edition, etl_settings)

    results: dict[str, Any] = {"parts": parts, "ratings_rows": args.ratings}
    rows: list[Row] = []
    if "read" in parts:
        results["read"] = read_benchmark(data_dir / "movies", processed, args.chunk_rows)
    if "train" in parts:
        runs = train(processed, models, data_dir)
        rows += train_rows(runs)
        results["train"] = {
            e: {"wall_s": r.wall_s, "peak_rss_mb": r.peak_rss_mb} for e, r in runs.items()
        }
    if "serve" in parts:
        served_rows, results["serve"] = serve_rows(models, processed, args.requests)
        rows += served_rows
    dense: dict[str, Any] | None = None
    if "dense" in parts:
        dense, dense_run, n_titles = dense_baseline(processed, args.requests)
        dense["peak_rss_mb"] = dense_run.peak_rss_mb
        rows += [
            (
                "usual approach: titles served (movies)",
                f"{dense['n']:,} of {n_titles:,} ({dense['n'] / n_titles:.0%})",
                "",
                None,
            ),
            (
                "usual approach: build s / peak RSS MB",
                f"{dense['fit_s']:.1f} / {dense['peak_rss_mb']:,.0f}",
                "",
                None,
            ),
            (
                "usual approach: matrix MB (full: GB)",
                f"{dense['matrix_mb']:,.0f} ({n_titles**2 * 8 / 2**30:.1f})",
                "",
                None,
            ),
            (
                "usual approach: latency median / p99 ms",
                f"{dense['median_ms']:.3f} / {dense['p99_ms']:.3f}",
                "",
                None,
            ),
        ]
        results["dense_baseline"] = dense

    if "read" in parts:
        print_read(results["read"])
    if rows:
        print()
        header = f"{'figure':<42}{'measured':>26}{'target':>18}  verdict"
        print_heading(header)
        for name, value, target, ok in rows:
            print(f"{name:<42}{value:>26}{target:>18}  {'' if ok is None else verdict(ok)}")
    if dense is not None and "serve" in parts:
        local = results["serve"]["in_process"]
        print(
            f"\nratio: in-process latency {dense['median_ms'] / local['median_ms']:.1f}x lower "
            "than the usual dense approach"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    write_results("recommender", results)
    checks = [ok for *_, ok in rows if ok is not None]
    return 0 if all(checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Recommender on a full-size generated movies catalogue, against the usual dense approach.

``uv run python -m bench.recommender [--rows 45466] [--seed 0] [--requests 300]``

1. Generate (or reuse, ``bench.catalog``) a full-size raw movies folder from the real sample and run
   the real ETL on it (movies; streaming is the real catalogue) into ``bench/.cache/``.
2. Train both editions, each in a child process (``recommender.train``): wall time and peak RSS.
3. Start the real service (``uvicorn recommender.app:create_app --factory``) as a child process, poll
   ``/health`` every 10 ms: cold start to ready; RSS of the service after load.
4. Latency: in-process (``Recommender.recommend`` for random titles, title resolution included) and
   over HTTP (httpx on 127.0.0.1, ``/recomendaciones/{titulo}``), median and p99.
5. The usual approach in a child: dense ``cosine_similarity`` on TF-IDF of the overview for the largest
   subset whose float64 n x n matrix fits in 2 GB: memory, build time, latency, share of the catalogue.

Prints a table with PASS/FAIL against the targets (service RSS <= 300 MB, cold start <= 3 s, median
in-process latency <= 1 ms, whole catalogue served); writes ``bench/results/recommender.json``.
Exit status 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import numpy as np
import psutil

from bench.catalog import FULL_ROWS, cached_data_dir
from bench.report import percentile, print_heading, verdict, write_results
from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from recommender.model import Recommender

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = REPO_ROOT / "bench" / ".cache"
MAX_SERVICE_RSS_MB = 300.0
MAX_COLD_START_S = 3.0
MAX_MEDIAN_MS = 1.0
DENSE_BUDGET_BYTES = 2 * 2**30


@dataclass(frozen=True)
class ChildRun:
    """Wall time and peak RSS of one child process."""

    wall_s: float
    peak_rss_mb: float
    stdout: str


def run_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a Python child; peak RSS = max of a 50 ms psutil poll and the child's own ru_maxrss."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
    )
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    out, _ = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed ({child.returncode}):\n{out}")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.recommender", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help="movies_dataset.csv rows")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--requests", type=int, default=300, help="HTTP requests to time")
    parser.add_argument(
        "--sample-dir",
        type=Path,
        default=Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")),
    )
    args = parser.parse_args(argv)
    sample_dir = (
        args.sample_dir if args.sample_dir.is_absolute() else REPO_ROOT / args.sample_dir
    ).resolve()

    data_dir = cached_data_dir(sample_dir, n_rows=args.rows, seed=args.seed)
    processed = CACHE / f"recommender-processed-{args.rows}-s{args.seed}"
    models = CACHE / f"recommender-models-{args.rows}-s{args.seed}"
    etl_settings = EtlSettings(data_dir=data_dir, processed_dir=processed)
    for edition in ("movies", "streaming"):
        run_edition(edition, etl_settings)

    train: dict[str, ChildRun] = {}
    for edition in ("movies", "streaming"):
        print(f"--- training {edition} in a child process", flush=True)
        train[edition] = run_child(
            [
                "-m",
                "recommender.train",
                edition,
                "--force",
                "--processed-dir",
                str(processed),
                "--model-dir",
                str(models),
            ],
            env={"DATA_DIR": ""},
        )
        print(train[edition].stdout.strip().splitlines()[-1], flush=True)
    meta = json.loads((models / "movies" / "metadata.json").read_text())
    n_titles = int(meta["n_titles"])

    print("--- service cold start, RSS and HTTP latency", flush=True)
    titles = Recommender.load(models, "movies").titles
    served = serve_and_measure(models, titles, args.requests)
    local = in_process_latency(models, 5 * args.requests)

    n_dense = min(n_titles, math.isqrt(DENSE_BUDGET_BYTES // 8))
    print(
        f"--- usual approach: dense cosine_similarity on {n_dense:,} titles (float64, <= 2 GB)",
        flush=True,
    )
    dense_run = run_child(
        ["-m", "bench.recommender.baseline", str(processed), str(n_dense), str(args.requests)]
    )
    dense: dict[str, Any] = json.loads(dense_run.stdout.strip().splitlines()[-1])
    full_dense_gb = n_titles**2 * 8 / 2**30
    artifact_mb = sum(p.stat().st_size for p in (models / "movies").iterdir()) / 2**20

    rows = [
        (
            "catalogue titles (movies)",
            f"{n_titles:,}",
            f"{dense['n']:,} ({dense['n'] / n_titles:.0%})",
            "whole catalogue",
            n_titles == int(meta["n_titles"]),
        ),
        (
            "build: wall s (movies)",
            f"{train['movies'].wall_s:.1f}",
            f"{dense['fit_s']:.1f}",
            "",
            None,
        ),
        (
            "build: peak RSS MB (movies)",
            f"{train['movies'].peak_rss_mb:,.0f}",
            f"{max(dense_run.peak_rss_mb, dense['maxrss_mb']):,.0f}",
            "",
            None,
        ),
        (
            "build: wall s / peak MB (streaming)",
            f"{train['streaming'].wall_s:.1f} / {train['streaming'].peak_rss_mb:,.0f}",
            "",
            "",
            None,
        ),
        (
            "model size MB (movies)",
            f"{artifact_mb:.1f}",
            f"{dense['matrix_mb']:,.0f} (full: {full_dense_gb:.1f} GB)",
            "",
            None,
        ),
        (
            "service RSS after load MB",
            f"{served['rss_loaded_mb']:.0f}",
            "",
            f"<= {MAX_SERVICE_RSS_MB:.0f}",
            served["rss_loaded_mb"] <= MAX_SERVICE_RSS_MB,
        ),
        ("service RSS after requests MB", f"{served['rss_after_requests_mb']:.0f}", "", "", None),
        (
            "cold start to ready s",
            f"{served['cold_start_s']:.2f}",
            "",
            f"<= {MAX_COLD_START_S:.0f}",
            served["cold_start_s"] <= MAX_COLD_START_S,
        ),
        (
            "in-process latency median ms",
            f"{local['median_ms']:.3f}",
            f"{dense['median_ms']:.3f}",
            f"<= {MAX_MEDIAN_MS}",
            local["median_ms"] <= MAX_MEDIAN_MS,
        ),
        ("in-process latency p99 ms", f"{local['p99_ms']:.3f}", f"{dense['p99_ms']:.3f}", "", None),
        (
            "HTTP latency median / p99 ms",
            f"{served['http_median_ms']:.2f} / {served['http_p99_ms']:.2f}",
            "",
            "",
            None,
        ),
    ]
    print()
    header = f"{'figure':<38}{'recommender':>22}{'dense cosine (usual)':>34}{'target':>18}  verdict"
    print_heading(header)
    for name, ours, usual, target, ok in rows:
        print(f"{name:<38}{ours:>22}{usual:>34}{target:>18}  {'' if ok is None else verdict(ok)}")
    print(
        f"\nratios: latency {dense['median_ms'] / local['median_ms']:.1f}x lower in-process; the usual approach "
        f"serves {dense['n'] / n_titles:.0%} of the catalogue within 2 GB; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus"
    )
    write_results(
        "recommender",
        {
            "n_titles": n_titles,
            "train": {
                e: {"wall_s": r.wall_s, "peak_rss_mb": r.peak_rss_mb} for e, r in train.items()
            },
            "service": served,
            "in_process": local,
            "dense_baseline": dense,
            "artifact_mb": artifact_mb,
        },
    )
    checks = [ok for *_, ok in rows if ok is not None]
    return 0 if all(checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The usual implementation, run as a child: dense ``cosine_similarity`` on TF-IDF over n titles.

``python -m bench.recommender.baseline PROCESSED_DIR N QUERIES`` prints one JSON line: fit seconds,
the matrix size, ``ru_maxrss`` and the per-request latency (title lookup, full argsort of the row,
top 5), the way the usual notebooks answer ``get_recommendation``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity


def main() -> None:
    processed, n, queries = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    table = pq.read_table(processed / "movies" / "movies.parquet", columns=["title", "overview"])
    titles = table.column("title").to_pylist()[:n]
    overviews = [o or "" for o in table.column("overview").to_pylist()[:n]]
    started = time.perf_counter()
    matrix = TfidfVectorizer(stop_words="english").fit_transform(overviews)
    similarity = cosine_similarity(matrix)  # dense n x n float64
    fit_s = time.perf_counter() - started
    index = {t: i for i, t in enumerate(titles)}
    rng = np.random.default_rng(0)
    picks = [titles[i] for i in rng.integers(0, n, size=queries)]
    times = []
    for title in picks:
        t0 = time.perf_counter()
        i = index[title]
        order = np.argsort(-similarity[i])
        _ = [titles[j] for j in order if j != i][:5]
        times.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "n": n,
                "fit_s": fit_s,
                "matrix_mb": similarity.nbytes / 2**20,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "median_ms": float(np.median(times) * 1e3),
                "p99_ms": float(np.percentile(times, 99) * 1e3),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Offline evaluation of the recommender against baselines, on held-out users, and the weight grid.

``uv run python -m bench.recommender_quality [--data-dir ../shared/data] [--processed-dir DIR] [--no-grid]``

Honest split (``recommender.collaborative.split_users``): the users of the ratings file are split once,
80% train / 20% test, by userId with a fixed seed. Everything learned from ratings (the collaborative
signal, the most-liked list that defines the tail, the grid below) uses the training users only; every
figure of the final table comes from the test users only. See ``recommender.evaluation`` for the metrics.

The weight grid is a two-fold cross-validation over the TRAINING users: each fold fits the collaborative
signal on the other half and scores on its own. Its pick is the best mean hit@5 + tail hit@5 among the
blends that keep category agreement >= 0.95 and collection recall@5 >= 0.95; the shipped blend
(``recommender.features.MOVIE_BLEND``) is that pick.

Baselines in the same run: random, most-popular, content only, collaborative only, and the previous
model (content + a popularity prior weighted by the query's own popularity), so the trade-offs show side
by side. Streaming has no user ratings in the raw data: its table has the rating-free metrics only.
Exit status 0 when the shipped model meets every target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.catalogue import add_raw_data_option
from bench.report import print_heading, verdict, write_results
from cinemateca_common.contract import EDITIONS
from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from recommender import collaborative, evaluation, features, neighbors
from recommender.train import compute, title_groups

TOP = neighbors.TOP
K = TOP + neighbors.MARGIN
TARGETS_MOVIES: dict[str, tuple[str, float]] = {
    "hit_at_5": (">=", 0.77),
    "tail_hit_at_5": (">=", 0.42),
    "max_share": ("<=", 0.02),
    "category_agreement": (">=", 0.95),
    "collection_recall_at_5": (">=", 0.95),
}
TARGETS_STREAMING: dict[str, tuple[str, float]] = {
    "max_share": ("<=", 0.02),
    "category_agreement": (">=", 0.95),
}
GRID_BETA = (0.3, 0.4, 0.5)
GRID_COLLAB_WEIGHT = (0.5, 1.0, 2.0)
GRID_SHRINKAGE = (5.0, 20.0)
GRID_FOLDS = 2
MIN_AGREEMENT = 0.95
MIN_COLLECTION = 0.95
# The previous model (round 1): content + prior weighted 2.5 * known(query), no ratings.
PREVIOUS_PRIOR_WEIGHT = 2.5

Top = npt.NDArray[np.integer[Any]]


def _popular_top(score: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    order = np.argsort(-score, kind="stable")[: TOP + 1]
    return np.array([[j for j in order if j != i][:TOP] for i in range(len(score))])


def _random_top(n: int, seed: int = 0) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(seed)
    out = np.empty((n, TOP), dtype=np.int64)
    for i in range(n):
        picks = rng.choice(n - 1, size=TOP, replace=False)
        out[i] = picks + (picks >= i)  # skip i itself
    return out


def _previous_model(cat: features.Catalogue, block_rows: int) -> Top:
    """Round 1's shipped model: content blocks + 2.5 * known(i) * known(j), no cap, no ratings."""
    content = neighbors.Similarity(cat.blocks, features.MOVIE_BLEND.weights, np.zeros(len(cat)))
    known = cat.known.astype(np.float32)

    def rows(start: int, stop: int) -> npt.NDArray[np.float32]:
        out = content.rows(start, stop)
        out += PREVIOUS_PRIOR_WEIGHT * known[start:stop, None] * known[None, :]
        return out

    groups = title_groups(cat.folded, cat.titles)
    return neighbors.top_k(rows, len(cat), TOP, block_rows=block_rows, groups=groups)[0]


def _processed(args: argparse.Namespace, tmp: Path) -> Path:
    if args.processed_dir is not None:
        return Path(args.processed_dir)
    out = tmp / "processed"
    for edition in EDITIONS:
        run_edition(edition, EtlSettings(data_dir=args.data_dir, processed_dir=out))
    return out


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if pct else f"{value:.3f}"


HEADER = (
    f"{'model':<36} {'hit@5':>6} {'prec@5':>6} {'tail@5':>6} {'share':>6} {'most listed':<22}"
    f" {'genre':>6} {'coll@5':>6} {'cover':>6} {'sec':>5}"
)


def _line(name: str, m: evaluation.Metrics, seconds: float) -> str:
    return (
        f"{name:<36} {_fmt(m.hit_at_5):>6} {_fmt(m.precision_at_5):>6} {_fmt(m.tail_hit_at_5):>6}"
        f" {_fmt(m.max_share, True):>6} {m.max_share_title[:22]:<22}"
        f" {_fmt(m.category_agreement):>6} {_fmt(m.collection_recall_at_5):>6}"
        f" {_fmt(m.coverage_at_5, True):>6} {seconds:>5.1f}"
    )


def _table(
    runs: list[tuple[str, Callable[[], Top]]], judge: Callable[[Top], evaluation.Metrics]
) -> tuple[dict[str, dict[str, Any]], evaluation.Metrics]:
    """Each run's line of the table; the figures by name, and the last run's (the model's) metrics."""
    results: dict[str, dict[str, Any]] = {}
    metrics: evaluation.Metrics | None = None
    for name, fn in runs:
        t0 = time.perf_counter()
        metrics = judge(fn())
        results[name] = metrics.as_dict()
        print(_line(name, metrics, time.perf_counter() - t0), flush=True)
    assert metrics is not None
    print()
    return results, metrics


def _checks(m: evaluation.Metrics, targets: dict[str, tuple[str, float]]) -> bool:
    ok_all = True
    for key, (op, target) in targets.items():
        value = getattr(m, key)
        ok = value is not None and (value >= target if op == ">=" else value <= target)
        ok_all &= ok
        shown = "-" if value is None else f"{value:.3f}"
        print(f"{verdict(ok)}  {key} {shown} (target {op} {target})")
    return ok_all


def _grid(
    cat: features.Catalogue,
    train: collaborative.Likes,
    block_rows: int,
) -> tuple[list[dict[str, Any]], features.Blend | None]:
    """Two-fold cross-validation of the collaborative blend over the training users only."""
    rng = np.random.default_rng(collaborative.SPLIT_SEED + 1)
    fold_of = rng.integers(0, GRID_FOLDS, size=train.n_users)
    categories = cat.categories("genres")
    print(
        f"\nweight grid: {GRID_FOLDS}-fold CV over the {train.n_users} training users"
        f" (pick: best hit@5 + tail hit@5 with genre agreement >= {MIN_AGREEMENT}"
        f" and collection recall@5 >= {MIN_COLLECTION})"
    )
    print_heading(f"{'beta / collab weight / shrinkage':<36}{HEADER[36:]}")
    # Each fold's fitted users, held-out positives and head: the same for every blend of the grid.
    folds_data = []
    for f in range(GRID_FOLDS):
        fit, held = train.subset(fold_of != f), train.subset(fold_of == f)
        folds_data.append((fit, held.positives(), evaluation.most_liked(fit.matrix)))
    rows: list[dict[str, Any]] = []
    best: tuple[float, features.Blend] | None = None
    for beta, weight, shrink in itertools.product(GRID_BETA, GRID_COLLAB_WEIGHT, GRID_SHRINKAGE):
        t0 = time.perf_counter()
        blend = dataclasses.replace(
            features.MOVIE_BLEND,
            collab_weight=weight,
            collab=dataclasses.replace(features.MOVIE_BLEND.collab, beta=beta, shrinkage=shrink),
        )
        folds = []
        for fit, positives, head in folds_data:
            nb = compute(cat, blend, fit, k=K, block_rows=block_rows, with_components=False)
            folds.append(
                evaluation.evaluate(
                    nb.indices,
                    titles=cat.titles,
                    categories=categories,
                    collection=cat.collection,
                    positives=positives,
                    head=head,
                )
            )
        mean = {
            key: float(np.mean([getattr(m, key) or 0.0 for m in folds]))
            for key in (
                "hit_at_5",
                "precision_at_5",
                "tail_hit_at_5",
                "max_share",
                "category_agreement",
                "collection_recall_at_5",
                "coverage_at_5",
            )
        }
        summary = dataclasses.replace(folds[0], **mean)  # type: ignore[arg-type]
        print(_line(f"{beta} / {weight} / {shrink}", summary, time.perf_counter() - t0), flush=True)
        rows.append({"beta": beta, "collab_weight": weight, "shrinkage": shrink, **mean})
        if mean["category_agreement"] >= MIN_AGREEMENT and (
            mean["collection_recall_at_5"] >= MIN_COLLECTION
        ):
            objective = mean["hit_at_5"] + mean["tail_hit_at_5"]
            if best is None or objective > best[0]:
                best = (objective, blend)
    return rows, best[1] if best else None


def _movies(args: argparse.Namespace, processed: Path) -> tuple[bool, dict[str, Any]]:
    files = collaborative.ratings_files(args.data_dir)
    if files is None:
        print(f"error: no movies ratings and links under {args.data_dir}", file=sys.stderr)
        return False, {}
    started = time.perf_counter()
    cat = features.load_catalogue(processed, "movies")
    likes = collaborative.likes_of(files, "movies", cat.ids)
    assert likes is not None
    train, test = collaborative.split(likes)
    positives = test.positives()
    head = evaluation.most_liked(train.matrix)
    categories = cat.categories("genres")
    print(
        f"movies: {len(cat)} titles; {files[0].name}: {likes.n_users} users with likes ->"
        f" {train.n_users} train / {test.n_users} test (seed {collaborative.SPLIT_SEED});"
        f" {len(positives)} test users, {sum(len(p) for p in positives)} queries"
        f" ({time.perf_counter() - started:.1f}s)"
    )

    grid_rows: list[dict[str, Any]] = []
    if not args.no_grid:
        grid_rows, pick = _grid(cat, train, args.block_rows)
        print(f"grid pick: {pick}\nshipped:   {features.MOVIE_BLEND}")

    def judge(top: Top) -> evaluation.Metrics:
        return evaluation.evaluate(
            top,
            titles=cat.titles,
            categories=categories,
            collection=cat.collection,
            positives=positives,
            head=head,
        )

    content_only = dataclasses.replace(features.MOVIE_BLEND, collab_weight=0.0)
    collab_only = dataclasses.replace(
        features.MOVIE_BLEND, weights={}, tie_break=0.0, penalty=0.0, agreement=None, max_share=1.0
    )
    votes = cat.popularity
    runs: list[tuple[str, Callable[[], Top]]] = [
        ("random", lambda: _random_top(len(cat))),
        ("most popular (TMDB popularity)", lambda: _popular_top(votes)),
        (
            "content only",
            lambda: (
                compute(
                    cat, content_only, None, k=K, block_rows=args.block_rows, with_components=False
                ).indices
            ),
        ),
        (
            "collaborative only (train users)",
            lambda: (
                compute(
                    cat, collab_only, train, k=K, block_rows=args.block_rows, with_components=False
                ).indices
            ),
        ),
        ("previous model (content + prior)", lambda: _previous_model(cat, args.block_rows)),
        (
            "MODEL: hybrid (shipped blend)",
            lambda: (
                compute(
                    cat,
                    features.MOVIE_BLEND,
                    train,
                    k=K,
                    block_rows=args.block_rows,
                    with_components=False,
                ).indices
            ),
        ),
    ]
    print(f"\nmovies, test users only ({test.n_users} users)")
    print_heading(HEADER)
    results, model = _table(runs, judge)
    ok = _checks(model, TARGETS_MOVIES)
    return ok, {
        "results": results,
        "grid": grid_rows,
        "shipped": dataclasses.asdict(features.MOVIE_BLEND),
    }


def _streaming(args: argparse.Namespace, processed: Path) -> tuple[bool, dict[str, Any]]:
    cat = features.load_catalogue(processed, "streaming")
    categories = cat.categories("listed_in")
    print(f"\nstreaming: {len(cat)} titles, no user ratings in the raw data (rating-free metrics)")
    print_heading(HEADER)

    def judge(top: Top) -> evaluation.Metrics:
        return evaluation.evaluate(
            top, titles=cat.titles, categories=categories, collection=cat.collection
        )

    runs: list[tuple[str, Callable[[], Top]]] = [
        ("random", lambda: _random_top(len(cat))),
        ("most popular (ratings count)", lambda: _popular_top(cat.popularity)),
        (
            "MODEL: content (shipped blend)",
            lambda: (
                compute(
                    cat,
                    features.STREAMING_BLEND,
                    None,
                    k=K,
                    block_rows=args.block_rows,
                    with_components=False,
                ).indices
            ),
        ),
    ]
    results, model = _table(runs, judge)
    return _checks(model, TARGETS_STREAMING), {"results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.recommender_quality", description=__doc__)
    add_raw_data_option(parser, "--data-dir", holding="movies/ and streaming/")
    parser.add_argument(
        "--processed-dir", type=Path, help="ETL output to reuse (default: run the ETL)"
    )
    parser.add_argument("--no-grid", action="store_true", help="skip the weight grid")
    parser.add_argument("--block-rows", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        processed = _processed(args, Path(tmp))
        movies_ok, movies = _movies(args, processed)
        streaming_ok, streaming = _streaming(args, processed)
    write_results("recommender_quality", {"movies": movies, "streaming": streaming})
    return 0 if movies_ok and streaming_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Training step: processed data -> one versioned top-K artifact per edition (``uv run train ...``)."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from pydantic import ValidationError

from cinemateca_common import logs
from cinemateca_common.contract import (
    EDITIONS,
    MOVIE_FEATURES_TABLE,
    MOVIES_TABLE,
    STREAMING_TABLE,
    Edition,
    data_version,
    edition_dir,
    require,
)
from recommender import artifact, collaborative, evaluation, features, neighbors
from recommender.config import Settings

log = logging.getLogger(__name__)

TABLES: dict[str, tuple[str, ...]] = {
    "movies": (MOVIES_TABLE, MOVIE_FEATURES_TABLE),
    "streaming": (STREAMING_TABLE,),
}


@dataclass(frozen=True)
class TrainResult:
    """What one ``train_edition`` call produced (``built`` is False when the artifact was up to date)."""

    edition: Edition
    model_version: str
    path: Path
    built: bool
    n_titles: int
    k: int
    seconds: float
    metrics: dict[str, Any] | None


def parameters(edition: Edition, settings: Settings) -> dict[str, Any]:
    """Everything that shapes the artifact besides the data; part of the model version."""
    blend = features.DEFAULT_BLEND[edition]
    return {
        "k": settings.neighbors,
        **asdict(blend),
        "score": (
            "sum_b weights[b] cos_b(i, j) + collab_weight collab(i, j) + tie_break prior(j)"
            " - penalty [no shared value of the agreement block]; then no title in more than"
            " max_share of the top-5 lists"
        ),
        "collab_score": (
            "asymmetric cosine of likes (ratings >= 4), users weighted 1/likes^user_power:"
            " co(i,j) / (n_i^(2-2 beta) n_j^(2 beta)) * likes_j / (likes_j + shrinkage)"
        ),
        "prior": (
            "prior_mix * known + (1 - prior_mix) * rating; known = log1p(popularity)/log1p(max),"
            " rating = percentile of the weighted rating"
        ),
        "split": {"test_share": collaborative.TEST_SHARE, "seed": collaborative.SPLIT_SEED},
        "top_cast": features.TOP_CAST,
        "text": "tfidf sublinear_tf, english stop words, min_df=2, max_df=0.5",
        "lists": "multi-hot idf, min_df=2, l2",
    }


def model_version(data_ver: str, params: dict[str, Any], ratings: str | None = None) -> str:
    """Hash of the data version, the ratings used, the parameters and the code version."""
    payload = json.dumps(
        {"data": data_ver, "ratings": ratings, "params": params, "code": artifact.CODE_VERSION},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def title_groups(folded: list[str], titles: list[str]) -> npt.NDArray[np.int64]:
    """One group id per folded title: titles in a group never list each other, nor twice in one list.

    A title that folds to nothing (e.g. written in a non-Latin script) is grouped by its raw text.
    """
    ids: dict[str, int] = {}
    keys = [f or "\0" + t for f, t in zip(folded, titles, strict=True)]
    return np.array([ids.setdefault(key, len(ids)) for key in keys], dtype=np.int64)


def similarity(
    catalogue: features.Catalogue, blend: features.Blend, likes: collaborative.Likes | None
) -> neighbors.Similarity:
    """The score of a blend over a catalogue, with the collaborative signal of ``likes``."""
    return neighbors.Similarity(
        catalogue.blocks,
        blend.weights,
        catalogue.bias(blend),
        collab=_signal(catalogue, blend, likes),
        collab_weight=blend.collab_weight,
        agreement=catalogue.categories(blend.agreement) if blend.agreement else None,
        penalty=blend.penalty,
    )


def _signal(
    catalogue: features.Catalogue, blend: features.Blend, likes: collaborative.Likes | None
) -> collaborative.ItemSignal | None:
    if likes is None or blend.collab_weight <= 0:
        return None
    return collaborative.ItemSignal(likes, len(catalogue), blend.collab)


def compute(
    catalogue: features.Catalogue,
    blend: features.Blend,
    likes: collaborative.Likes | None,
    *,
    k: int,
    block_rows: int,
    with_components: bool = True,
) -> neighbors.Neighbors:
    """The top-K table of a catalogue under a blend, with the collaborative signal of ``likes``
    (per-component terms only ``with_components``: the reasons need them, an evaluation does not)."""
    groups = title_groups(catalogue.folded, catalogue.titles)
    return neighbors.build(
        similarity(catalogue, blend, likes),
        min(k, len(catalogue) - 1),
        block_rows=block_rows,
        groups=groups,
        max_share=blend.max_share,
        with_components=with_components,
    )


def _categories(catalogue: features.Catalogue, blend: features.Blend) -> sp.csr_matrix:
    """The categories a neighbor should share with its query (the blend's agreement block)."""
    return catalogue.categories(blend.agreement or "genres")


def rating_free_metrics(
    catalogue: features.Catalogue, blend: features.Blend, nb: neighbors.Neighbors
) -> evaluation.Metrics:
    """Share, category agreement, sagas and coverage of a table (no users needed)."""
    return evaluation.evaluate(
        nb.indices,
        titles=catalogue.titles,
        categories=_categories(catalogue, blend),
        collection=catalogue.collection,
    )


def split_and_served(
    catalogue: features.Catalogue,
    blend: features.Blend,
    likes: collaborative.Likes,
    *,
    k: int,
    block_rows: int,
) -> tuple[evaluation.Metrics, neighbors.Neighbors]:
    """The honest figures and the served table, scored in one pass over the catalogue.

    The figures come from a table whose collaborative signal is fitted on the training users only,
    judged on the held-out test users; the served table uses every user. Both share the content part
    of the score, so each block of it is computed once.
    """
    train_likes, test_likes = collaborative.split(likes)
    held_out = similarity(catalogue, blend, train_likes)
    served = held_out.with_collab(_signal(catalogue, blend, likes))
    split_table, served_table = neighbors.build_many(
        [held_out, served],
        [neighbors.TOP + neighbors.MARGIN, min(k, len(catalogue) - 1)],
        block_rows=block_rows,
        groups=title_groups(catalogue.folded, catalogue.titles),
        max_share=blend.max_share,
        with_components=[False, True],
    )
    metrics = evaluation.evaluate(
        split_table.indices,
        titles=catalogue.titles,
        categories=_categories(catalogue, blend),
        collection=catalogue.collection,
        positives=test_likes.positives(),
        head=evaluation.most_liked(train_likes.matrix),
    )
    return metrics, served_table


def _check_inputs(settings: Settings, edition: Edition) -> str:
    version = data_version(settings.processed_dir, edition)
    for name in TABLES[edition]:
        require(edition_dir(settings.processed_dir, edition) / name, f"uv run etl {edition}")
    return version


def _fingerprint(files: list[Path]) -> str | None:
    """Name, size and mtime of the ratings files: a changed file gives a new model version."""
    if not files:
        return None
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def _write(
    folder: Path,
    nb: neighbors.Neighbors,
    titles: dict[str, Any],
    names: dict[str, list[list[str]]],
    meta: dict[str, Any],
) -> None:
    """Write into a sibling folder, then swap it in: readers never see a half-written artifact."""
    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    np.save(staging / artifact.NEIGHBORS, nb.indices)
    np.save(staging / artifact.SCORES, nb.scores)
    np.save(staging / artifact.COMPONENTS, nb.components)
    (staging / artifact.TITLES).write_text(json.dumps(titles, ensure_ascii=False), encoding="utf-8")
    vocabularies: dict[str, list[str]] = {}
    for block, rows in names.items():
        vocab, indptr, codes = artifact.encode_names(rows)
        vocabularies[block] = vocab
        indptr_file, codes_file = artifact.names_files(block)
        np.save(staging / indptr_file, indptr)
        np.save(staging / codes_file, codes)
    (staging / artifact.NAMES).write_text(
        json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8"
    )
    (staging / artifact.METADATA).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)


def train_edition(edition: Edition, settings: Settings, *, force: bool = False) -> TrainResult:
    """Build (or keep, when data and parameters are unchanged) the artifact of one edition."""
    started = time.perf_counter()
    data_ver = _check_inputs(settings, edition)
    params = parameters(edition, settings)
    files = collaborative.source_files(settings.data_dir, edition)
    fingerprint = _fingerprint(files)
    version = model_version(data_ver, params, fingerprint)
    folder = artifact.edition_dir(settings.model_dir, edition)
    existing = artifact.read_metadata(settings.model_dir, edition)
    complete = all((folder / name).is_file() for name in artifact.FILES)
    if not force and complete and existing and existing.get("model_version") == version:
        log.info("%s: model %s is up to date, nothing to do", edition, version)
        return TrainResult(
            edition=edition,
            model_version=version,
            path=folder,
            built=False,
            n_titles=int(existing["n_titles"]),
            k=int(existing["k"]),
            seconds=time.perf_counter() - started,
            metrics=existing.get("metrics"),
        )
    catalogue = features.load_catalogue(settings.processed_dir, edition)
    shapes = {name: m.shape[1] for name, m in catalogue.blocks.items()}
    log.info(
        "%s: %d titles, blocks %s (%.1fs)",
        edition,
        len(catalogue),
        shapes,
        time.perf_counter() - started,
    )
    blend = features.DEFAULT_BLEND[edition]
    # The files the version was fingerprinted from, not a second look at the folder.
    likes = collaborative.likes_of(files, edition, catalogue.ids)
    collab_info: dict[str, Any] | None = None
    if likes is not None:
        collab_info = {
            "files": [p.name for p in files],
            "ratings_read": likes.ratings_read,
            "likes": likes.ratings_kept,
            "users": likes.n_users,
        }
        log.info(
            "%s: %s: %d ratings read, %d likes by %d users (%.1fs)",
            edition,
            ", ".join(p.name for p in files),
            likes.ratings_read,
            likes.ratings_kept,
            likes.n_users,
            time.perf_counter() - started,
        )
        split, nb = split_and_served(
            catalogue, blend, likes, k=settings.neighbors, block_rows=settings.block_rows
        )
    else:
        log.info("%s: no ratings in the raw data folder: content-based model only", edition)
        nb = compute(catalogue, blend, None, k=settings.neighbors, block_rows=settings.block_rows)
        split = rating_free_metrics(catalogue, blend, nb)
    log.info(
        "%s: top-%d neighbors done (%.1fs)",
        edition,
        nb.indices.shape[1],
        time.perf_counter() - started,
    )
    # With ratings the figures come from the table fitted on the training users only; without, the
    # served table itself gives the rating-free ones.
    metrics = split.as_dict()
    metrics["ground_truth"] = (
        f"{files[0].name}: test users ({collaborative.TEST_SHARE:.0%}, seed"
        f" {collaborative.SPLIT_SEED}), likes = ratings >= {collaborative.POSITIVE}"
        if likes is not None
        else "sin valoraciones: solo métricas sin usuarios"
    )
    log.info("%s: evaluation %s (%.1fs)", edition, metrics, time.perf_counter() - started)
    titles = {
        "id": catalogue.ids,
        "title": catalogue.titles,
        "year": catalogue.years,
        "popularity": [round(float(p), 4) for p in catalogue.popularity],
        "folded": catalogue.folded,
    }
    meta = {
        "edition": edition,
        "model_version": version,
        "data_version": data_ver,
        "code_version": artifact.CODE_VERSION,
        "parameters": params,
        "components": nb.component_names,
        "block_columns": shapes,
        "metrics": metrics,
        "collaborative": collab_info,
        "signal": "content + collaborative" if likes is not None else "content only (no ratings)",
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_titles": len(catalogue),
        "k": int(nb.indices.shape[1]),
    }
    _write(folder, nb, titles, catalogue.names, meta)
    seconds = time.perf_counter() - started
    log.info("%s: wrote %s (model %s, %.1fs)", edition, folder, version, seconds)
    return TrainResult(
        edition=edition,
        model_version=version,
        path=folder,
        built=True,
        n_titles=len(catalogue),
        k=int(nb.indices.shape[1]),
        seconds=seconds,
        metrics=metrics,
    )


def summary(m: dict[str, Any]) -> str:
    """One line of the main metrics (rating-based ones only when there were test users)."""
    parts = []
    if m.get("hit_at_5") is not None:
        parts.append(f"hit@5 {m['hit_at_5']:.3f}, tail hit@5 {m['tail_hit_at_5'] or 0:.3f}")
    parts.append(f"max share {m['max_share']:.1%} ({m['max_share_title']})")
    parts.append(f"category agreement {m['category_agreement']:.3f}")
    if m.get("collection_recall_at_5") is not None:
        parts.append(f"collection recall@5 {m['collection_recall_at_5']:.3f}")
    parts.append(f"coverage@5 {m['coverage_at_5']:.1%}")
    return ", ".join(parts)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="train",
        description="Build the recommender's top-K artifact per edition from the ETL output.",
    )
    parser.add_argument("edition", choices=[*EDITIONS, "all"], help="edition to train, or all")
    parser.add_argument("--processed-dir", type=Path, help="ETL output (env PROCESSED_DIR)")
    parser.add_argument("--model-dir", type=Path, help="artifact folder (env MODEL_DIR)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="raw data with movies/ratings_small.csv.gz for evaluation (env DATA_DIR)",
    )
    parser.add_argument("--neighbors", type=int, help="K, neighbors kept per title (env NEIGHBORS)")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console entry point ``train movies|streaming|all``."""
    args = _parser().parse_args(argv)
    overrides = {
        key: value
        for key, value in {
            "processed_dir": args.processed_dir,
            "model_dir": args.model_dir,
            "data_dir": args.data_dir,
            "neighbors": args.neighbors,
        }.items()
        if value is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"train: error: {'.'.join(map(str, first['loc']))}: {first['msg']}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    editions: tuple[Edition, ...] = EDITIONS if args.edition == "all" else (args.edition,)
    results: list[TrainResult] = []
    for edition in editions:
        try:
            results.append(train_edition(edition, settings, force=args.force))
        except FileNotFoundError as exc:
            print(f"train: error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # unwritable or invalid model dir, disk full, ...
            target = exc.filename or settings.model_dir
            print(f"train: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    for r in results:
        status = "built" if r.built else "up to date"
        line = f"{r.edition}: {status}, model {r.model_version}, {r.n_titles} titles, K={r.k}, {r.seconds:.1f}s, {r.path}"
        if r.metrics:
            line += "; " + summary(r.metrics)
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

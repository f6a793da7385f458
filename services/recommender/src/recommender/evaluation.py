"""Offline evaluation of a top-K table against MovieLens ratings (shared by training and the benchmark).

Ground truth: ``ratings_small.csv`` joined to the catalogue through ``links.csv`` (MovieLens movieId ->
TMDB id). A user's positives are the catalogue titles rated >= 4.0. For every user with at least two
positives, every positive ``p`` is a query; its top-5 list (``p`` itself is never in it) is a hit when
it holds another positive of that user.

- hit@5: share of queries whose top-5 holds at least one other positive of the user.
- precision@5: mean over queries of (other positives in the top-5) / 5.
- collection recall@5: over titles whose collection has other members in the catalogue, the mean of
  (members found in the top-5) / min(5, number of other members).
- coverage@5: share of catalogue titles that appear in at least one title's top-5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

POSITIVE: Final = 4.0
TOP: Final = 5
RATINGS_FILE: Final = "ratings_small.csv.gz"
LINKS_FILE: Final = "links.csv.gz"


@dataclass(frozen=True)
class Metrics:
    """The four figures of one model on one ground truth, and how many queries they rest on."""

    hit_at_5: float
    precision_at_5: float
    collection_recall_at_5: float
    coverage_at_5: float
    users: int
    queries: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ratings_files(data_dir: Path) -> tuple[Path, Path] | None:
    """The ratings and links files under a raw-data folder, or None when either is absent."""
    ratings = data_dir / "movies" / RATINGS_FILE
    links = data_dir / "movies" / LINKS_FILE
    return (ratings, links) if ratings.is_file() and links.is_file() else None


def load_positives(
    ratings_path: Path, links_path: Path, catalogue_ids: Sequence[int]
) -> list[npt.NDArray[np.intp]]:
    """Per user with >= 2 positives in the catalogue: the catalogue indices of their positives."""
    ratings = pd.read_csv(ratings_path, usecols=["userId", "movieId", "rating"])
    links = pd.read_csv(links_path, usecols=["movieId", "tmdbId"]).dropna(subset=["tmdbId"])
    tmdb_by_movie = dict(
        zip(links["movieId"].astype("int64"), links["tmdbId"].astype("int64"), strict=True)
    )
    index_by_id = {int(i): pos for pos, i in enumerate(catalogue_ids)}
    positives = ratings[ratings["rating"] >= POSITIVE]
    users: list[npt.NDArray[np.intp]] = []
    for _, group in positives.groupby("userId", sort=True):
        found = {
            index_by_id[tmdb]
            for movie in group["movieId"].astype("int64")
            if (tmdb := tmdb_by_movie.get(int(movie))) is not None and tmdb in index_by_id
        }
        if len(found) >= 2:
            users.append(np.array(sorted(found), dtype=np.intp))
    return users


def evaluate(
    top: npt.NDArray[np.integer[Any]],
    positives: Sequence[npt.NDArray[np.intp]],
    collection: npt.NDArray[np.int64],
) -> Metrics:
    """hit@5, precision@5, collection recall@5 and coverage@5 of a top-K table (-1 = no neighbour)."""
    top5 = np.asarray(top[:, :TOP], dtype=np.int64)
    n = top5.shape[0]
    hits = 0.0
    precision = 0.0
    queries = 0
    for pos in positives:
        lists = top5[pos]
        found = np.isin(lists, pos) & (lists != pos[:, None])
        per_query = found.sum(axis=1)
        hits += float((per_query > 0).sum())
        precision += float(per_query.sum()) / TOP
        queries += len(pos)
    recalls: list[float] = []
    has = collection >= 0
    ids, counts = np.unique(collection[has], return_counts=True)
    shared = set(ids[counts > 1].tolist())
    members: dict[int, npt.NDArray[np.intp]] = {}
    for i in np.flatnonzero(has):
        c = int(collection[i])
        if c in shared:
            if c not in members:
                members[c] = np.flatnonzero(collection == c)
            others = members[c][members[c] != i]
            recalls.append(float(np.isin(top5[i], others).sum()) / min(TOP, len(others)))
    listed = np.unique(top5[top5 >= 0])
    return Metrics(
        hit_at_5=hits / queries if queries else 0.0,
        precision_at_5=precision / queries if queries else 0.0,
        collection_recall_at_5=float(np.mean(recalls)) if recalls else 0.0,
        coverage_at_5=len(listed) / n if n else 0.0,
        users=len(positives),
        queries=queries,
    )

"""The collaborative signal: "people who liked this title also liked that one", from user ratings.

A *like* is a rating >= 4.0 (of 5). Every user's likes are weighted by ``1 / sqrt(likes of the user)``
(someone who likes everything says little about any pair), and the co-like score of two titles is

    co(i, j) = sum over users u who liked both of  w_u          (w_u = 1 / likes(u) ** user_power)
    collab(i, j) = co(i, j) / (n_i ** (2 - 2 beta) * n_j ** (2 beta)) * support(j)

with ``n_i = sqrt(co(i, i))``: an *asymmetric cosine*. ``beta = 0.5`` is the plain cosine, which
pushes popular titles down; ``beta < 0.5`` lets well-liked titles rank higher without letting them take
over (``beta = 0`` is the conditional probability that wins on popularity alone). ``support(j) =
likes(j) / (likes(j) + shrinkage)`` damps titles liked by very few users, whose cosines are noise.

Everything is sparse: the titles x users matrix is multiplied a block of query rows at a time by
:mod:`recommender.neighbors`, never as a dense titles x titles matrix. Users with more than
``max_user_likes`` likes keep an evenly spaced subset of them, which bounds the cost of a block on the full
MovieLens file (26 million ratings) without changing what a typical user contributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from cinemateca_common.contract import Edition
from recommender.ratings import RatingParts, RatingsMatrix, read_ratings, to_csr

POSITIVE: Final = 4.0
# The split of users used for every reported metric: fixed seed, 20% of users held out for testing.
TEST_SHARE: Final = 0.2
SPLIT_SEED: Final = 20261130
# Tried in order in DATA_DIR/movies: the full MovieLens file first, then the small one.
RATINGS_FILES: Final = (
    "ratings.csv",
    "ratings.csv.gz",
    "ratings_small.csv",
    "ratings_small.csv.gz",
)
LINKS_FILES: Final = ("links.csv", "links.csv.gz")


def ratings_files(data_dir: Path) -> tuple[Path, Path] | None:
    """The movies ratings file (the full one when present) and ``links.csv``, or None when either lacks."""
    folder = data_dir / "movies"
    ratings = next((folder / n for n in RATINGS_FILES if (folder / n).is_file()), None)
    links = next((folder / n for n in LINKS_FILES if (folder / n).is_file()), None)
    return (ratings, links) if ratings is not None and links is not None else None


def streaming_ratings_files(data_dir: Path) -> list[Path]:
    """The raw streaming ratings files (``streaming/ratings/*.csv[.gz]``), sorted; [] when absent.

    The derived ``ratings_by_title.csv`` (one mean per title) has no users, so it gives no signal here.
    """
    folder = data_dir / "streaming" / "ratings"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith((".csv", ".csv.gz")))


def source_files(data_dir: Path | None, edition: Edition) -> list[Path]:
    """Every raw file the edition's collaborative signal reads ([] = content only)."""
    if data_dir is None:
        return []
    if edition == "movies":
        return list(ratings_files(data_dir) or ())
    return streaming_ratings_files(data_dir)


def read_streaming_ratings(
    paths: Sequence[Path], catalogue_ids: Sequence[str], chunk_rows: int = 2_000_000
) -> RatingsMatrix:
    """Raw streaming ratings (``userId,rating,timestamp,movieId``; ``movieId`` is the catalogue id,
    platform letter + show_id, any case) as a users x titles matrix; a user's latest rating of a title wins.
    """
    index = {str(i).lower(): pos for pos, i in enumerate(catalogue_ids)}
    parts = RatingParts([], [], [], [])
    rows_read = unmapped = 0
    for path in paths:
        chunks = pd.read_csv(
            path,
            usecols=["userId", "rating", "timestamp", "movieId"],
            dtype={"userId": "int64", "rating": "float32", "timestamp": "int64", "movieId": "str"},
            chunksize=chunk_rows,
        )
        for chunk in chunks:
            rows_read += len(chunk)
            item = chunk["movieId"].str.strip().str.lower().map(index)
            known = item.notna()
            unmapped += int((~known).sum())
            parts.users.append(chunk["userId"][known].to_numpy())
            parts.items.append(np.asarray(item[known], dtype=np.int32))
            parts.ratings.append(chunk["rating"][known].to_numpy())
            parts.timestamps.append(chunk["timestamp"][known].to_numpy())
    # Duplicates resolved as for MovieLens: the latest timestamp wins, then the later row.
    matrix, users, duplicates = to_csr(parts, len(index))
    return RatingsMatrix(matrix, users, rows_read, unmapped, duplicates)


@dataclass(frozen=True)
class Likes:
    """Who liked what: a users x titles CSR matrix of ones (ratings >= 4), one row per user."""

    matrix: sp.csr_matrix
    user_ids: npt.NDArray[np.int64]
    ratings_read: int
    ratings_kept: int

    @property
    def n_users(self) -> int:
        return int(self.matrix.shape[0])

    def subset(self, rows: npt.NDArray[np.bool_]) -> Likes:
        """Only the users whose row is True (e.g. the training users of a split)."""
        return Likes(
            sp.csr_matrix(self.matrix[np.flatnonzero(rows)]),
            self.user_ids[rows],
            self.ratings_read,
            self.ratings_kept,
        )

    def positives(self, min_likes: int = 2) -> list[npt.NDArray[np.intp]]:
        """Per user with at least ``min_likes`` likes: the sorted title indices they liked."""
        m = self.matrix
        out: list[npt.NDArray[np.intp]] = []
        for u in range(m.shape[0]):
            row = np.sort(m.indices[m.indptr[u] : m.indptr[u + 1]]).astype(np.intp)
            if len(row) >= min_likes:
                out.append(row)
        return out


def likes_from(ratings: RatingsMatrix) -> Likes:
    """Keep ratings >= 4 as ones; users without a like are dropped."""
    liked = _threshold(ratings.matrix.tocsr())
    keep = np.diff(liked.indptr) > 0
    return Likes(
        sp.csr_matrix(liked[np.flatnonzero(keep)]),
        ratings.user_ids[keep],
        ratings.rows_read,
        int(liked.nnz),
    )


def _threshold(m: sp.csr_matrix) -> sp.csr_matrix:
    liked = m.copy()
    liked.data = (liked.data >= POSITIVE).astype(np.float32)
    liked.eliminate_zeros()
    return liked


def likes_of(files: Sequence[Path], edition: Edition, catalogue_ids: Sequence[Any]) -> Likes | None:
    """The likes in ``files`` (:func:`source_files` of the edition), or None when there are none."""
    if not files:
        return None
    if edition == "movies":
        return likes_from(read_ratings(files[0], files[1], catalogue_ids))
    return likes_from(read_streaming_ratings(files, catalogue_ids))


def split_users(
    user_ids: npt.NDArray[np.int64], *, test_share: float = TEST_SHARE, seed: int = SPLIT_SEED
) -> npt.NDArray[np.bool_]:
    """True for the test users: a fixed ``test_share`` of users drawn with ``seed`` (by userId)."""
    unique = np.unique(user_ids)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(unique, size=round(test_share * len(unique)), replace=False)
    result: npt.NDArray[np.bool_] = np.isin(user_ids, chosen)
    return result


def split(likes: Likes) -> tuple[Likes, Likes]:
    """The training users' likes and the test users' (:func:`split_users`), never sharing a user."""
    test = split_users(likes.user_ids)
    train_likes, test_likes = likes.subset(~test), likes.subset(test)
    if set(train_likes.user_ids.tolist()) & set(test_likes.user_ids.tolist()):
        raise RuntimeError("a test user reached the training users")
    return train_likes, test_likes


@dataclass(frozen=True)
class CollabParams:
    """Shape of the collaborative score (see the module docstring)."""

    beta: float = 0.4
    shrinkage: float = 5.0
    user_power: float = 0.5
    max_user_likes: int = 500


class ItemSignal:
    """The collaborative part of the score, fitted on a set of users' likes."""

    def __init__(self, likes: Likes, n_titles: int, params: CollabParams) -> None:
        m = _cap_users(likes.matrix, params.max_user_likes)
        per_user = np.diff(m.indptr).astype(np.float64)
        weight = np.where(per_user > 0, per_user, 1.0) ** (-params.user_power / 2)
        # Titles x users, each like scaled by sqrt(w_u): a row product is then co(i, j).
        self.matrix = sp.csr_matrix((sp.diags(weight.astype(np.float32)) @ m).T, dtype=np.float32)
        self.matrix_t = self.matrix.T.tocsr()
        self.likes = np.diff(self.matrix.indptr).astype(np.float64)
        if self.matrix.shape[0] != n_titles:
            raise ValueError(f"likes cover {self.matrix.shape[0]} titles, catalogue has {n_titles}")
        self_co = np.asarray(self.matrix.multiply(self.matrix).sum(axis=1)).ravel()
        norm = np.sqrt(self_co)
        safe = np.where(norm > 0, norm, np.inf)
        support = self.likes / (self.likes + params.shrinkage) if params.shrinkage > 0 else 1.0
        self.row_scale = (safe ** -(2 - 2 * params.beta)).astype(np.float32)
        self.col_scale = (safe ** -(2 * params.beta) * support).astype(np.float32)

    def rows(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        """``collab(i, j)`` for queries ``start..stop-1`` against every title (dense block)."""
        co = np.asarray((self.matrix[start:stop] @ self.matrix_t).toarray(), dtype=np.float32)
        co *= self.row_scale[start:stop, None]
        co *= self.col_scale[None, :]
        return co


def _cap_users(m: sp.csr_matrix, cap: int) -> sp.csr_matrix:
    """At most ``cap`` likes per user: an evenly spaced subset in column order (deterministic, and no
    part of the catalogue is favoured)."""
    counts = np.diff(m.indptr)
    if cap <= 0 or counts.max(initial=0) <= cap:
        return m
    keep = np.ones(m.nnz, dtype=bool)
    for u in np.flatnonzero(counts > cap):
        start, stop = m.indptr[u], m.indptr[u + 1]
        chosen = np.linspace(start, stop - 1, cap).astype(np.int64)
        mask = np.zeros(stop - start, dtype=bool)
        mask[chosen - start] = True
        keep[start:stop] = mask
    rows = np.repeat(np.arange(m.shape[0]), counts)[keep]
    return sp.csr_matrix((m.data[keep], (rows, m.indices[keep])), shape=m.shape)

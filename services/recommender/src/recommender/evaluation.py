"""Offline evaluation of a top-K table (shared by training, the tests and the benchmark).

Honest split: users are split once (``collaborative.split_users``: 20% test, fixed seed). Everything
learned from ratings uses the training users only; the figures below come from the test users only.

Ground truth: a test user's *positives* are the catalogue titles they rated >= 4. For every test user
with at least two positives, every positive ``p`` is a query; its top-5 list (``p`` itself is never in
it) is judged against the user's *other* positives.

- hit@5: share of queries whose top-5 holds at least one other positive of the user.
- precision@5: mean over queries of (other positives in the top-5) / 5.
- tail hit@5: the same hit, counting as targets only positives outside the ``HEAD`` titles most liked
  by the training users, over the queries that have such a target. Most-popular lists score 0 here.
- max share: every catalogue title queried once; the largest share of those top-5 lists that a single
  title appears in (and which title). Popularity-driven lists put one title in nearly all of them.
- category agreement (genre agreement): share of recommended slots that share at least one category
  (movies ``genres``, streaming ``listed_in``) with the query, over pairs where both have one.
- collection recall@5: over titles whose collection has other members in the catalogue, the mean of
  (members found in the top-5) / min(5, number of other members).
- coverage@5: share of catalogue titles that appear in at least one title's top-5.

The last four need no ratings, so they are reported for both editions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from recommender.neighbors import TOP

HEAD: Final = 100


@dataclass(frozen=True)
class Metrics:
    """The figures of one top-K table; rating-based ones are None without test users."""

    hit_at_5: float | None
    precision_at_5: float | None
    tail_hit_at_5: float | None
    max_share: float
    max_share_title: str
    category_agreement: float
    collection_recall_at_5: float | None
    coverage_at_5: float
    users: int
    queries: int
    tail_queries: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def most_liked(likes: sp.csr_matrix, head: int = HEAD) -> npt.NDArray[np.intp]:
    """The ``head`` titles with the most likes in a users x titles matrix (ties: lower index)."""
    counts = np.asarray((likes != 0).sum(axis=0)).ravel()
    order = np.lexsort((np.arange(len(counts)), -counts))
    result: npt.NDArray[np.intp] = order[: min(head, len(counts))].astype(np.intp)
    return result


def _hits(
    top5: npt.NDArray[np.int64],
    positives: Sequence[npt.NDArray[np.intp]],
    is_head: npt.NDArray[np.bool_],
) -> tuple[float, float, int, float, int]:
    """Hit, precision and tail-hit sums over every (user, positive) query, vectorised.

    Membership of a listed title in the querying user's positives is a lookup of ``user * n + title``
    in the sorted array of every user's positives (millions of queries at full size).
    """
    n = top5.shape[0]
    if not positives:
        return 0.0, 0.0, 0, 0.0, 0
    user = np.repeat(np.arange(len(positives), dtype=np.int64), [len(p) for p in positives])
    query = np.concatenate(positives).astype(np.int64)
    keys = np.sort(user * n + query)
    tail_keys = keys[~is_head[keys % n]]  # a boolean mask keeps keys sorted
    lists = top5[query]  # [queries, 5]
    listed = user[:, None] * n + np.where(lists >= 0, lists, 0)
    valid = (lists >= 0) & (lists != query[:, None])

    def member(sorted_keys: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        if not len(sorted_keys):
            return np.zeros(listed.shape, dtype=bool)
        pos = np.minimum(np.searchsorted(sorted_keys, listed), len(sorted_keys) - 1)
        result: npt.NDArray[np.bool_] = (sorted_keys[pos] == listed) & valid
        return result

    found = member(keys)
    per_query = found.sum(axis=1)
    # Tail targets of a query: the user's tail positives other than the query itself.
    tail_count = np.bincount(user[~is_head[query]], minlength=len(positives))[user]
    has_target = (tail_count - (~is_head[query]).astype(np.int64)) > 0
    tail_found = member(tail_keys).any(axis=1) & has_target
    return (
        float((per_query > 0).sum()),
        float(per_query.sum()) / TOP,
        len(query),
        float(tail_found.sum()),
        int(has_target.sum()),
    )


def category_agreement(top5: npt.NDArray[np.int64], categories: sp.csr_matrix) -> float:
    """Share of (query, recommended) pairs sharing a category, over pairs where both have one."""
    binary = sp.csr_matrix((categories != 0).astype(np.float32))
    has = np.diff(binary.indptr) > 0
    rows = np.repeat(np.arange(top5.shape[0]), top5.shape[1])
    cols = top5.ravel()
    ok = cols >= 0
    rows, cols = rows[ok], cols[ok]
    both = has[rows] & has[cols]
    if not both.any():
        return 0.0
    shared = np.asarray(binary[rows[both]].multiply(binary[cols[both]]).sum(axis=1)).ravel() > 0
    return float(shared.mean())


def collection_recall(
    top5: npt.NDArray[np.int64], collection: npt.NDArray[np.int64]
) -> float | None:
    """Mean share of a saga's other members found in each member's top-5 (None without sagas)."""
    has = collection >= 0
    ids, counts = np.unique(collection[has], return_counts=True)
    shared = set(ids[counts > 1].tolist())
    members: dict[int, npt.NDArray[np.intp]] = {}
    recalls: list[float] = []
    for i in np.flatnonzero(has):
        c = int(collection[i])
        if c in shared:
            if c not in members:
                members[c] = np.flatnonzero(collection == c)
            others = members[c][members[c] != i]
            recalls.append(float(np.isin(top5[i], others).sum()) / min(TOP, len(others)))
    return float(np.mean(recalls)) if recalls else None


def evaluate(
    top: npt.NDArray[np.integer[Any]],
    *,
    titles: Sequence[str],
    categories: sp.csr_matrix,
    collection: npt.NDArray[np.int64],
    positives: Sequence[npt.NDArray[np.intp]] = (),
    head: npt.NDArray[np.intp] | None = None,
) -> Metrics:
    """Every metric of the module docstring for one top-K table (-1 = no neighbor)."""
    top5 = np.asarray(top[:, :TOP], dtype=np.int64)
    n = top5.shape[0]
    is_head = np.zeros(n, dtype=bool)
    if head is not None:
        is_head[head] = True
    hits, precision, queries, tail_hits, tail_queries = _hits(top5, positives, is_head)
    listed = top5[top5 >= 0]
    counts = np.bincount(listed, minlength=n)
    busiest = int(counts.argmax()) if n else 0
    return Metrics(
        hit_at_5=hits / queries if queries else None,
        precision_at_5=precision / queries if queries else None,
        tail_hit_at_5=tail_hits / tail_queries if tail_queries else None,
        max_share=float(counts[busiest]) / n if n else 0.0,
        max_share_title=titles[busiest] if n else "",
        category_agreement=category_agreement(top5, categories),
        collection_recall_at_5=collection_recall(top5, collection),
        coverage_at_5=len(np.unique(listed)) / n if n else 0.0,
        users=len(positives),
        queries=queries,
        tail_queries=tail_queries,
    )

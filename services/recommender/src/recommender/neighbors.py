"""Block-wise top-K neighbors over weighted sparse blocks: memory bounded, never a dense n x n matrix.

The score of title ``j`` for query ``i`` is

    sum_b w_b cos_b(i, j) + w_collab collab(i, j) + bias(j) - penalty * [i and j share no category]

(content blocks, the collaborative signal of :mod:`recommender.collaborative`, a small per-title bias
used as a popularity tie-break, and a penalty for titles of unrelated genres). Rows are scored
``block_rows`` at a time (sparse @ sparse.T into a dense ``block_rows x n`` block), the best ``K`` of
each row are kept with ``argpartition``, and the block is dropped: peak memory is ``O(block_rows * n)``
whatever the catalogue size. :func:`cap_share` then keeps any single title out of more than a set share
of the top-5 lists (hubness: see the function).
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from recommender.collaborative import ItemSignal

log = logging.getLogger(__name__)

# Blocks with at most this many columns (genres, decade, type) are multiplied as dense BLAS products:
# their few, frequent values would make a sparse product nearly dense and slow.
DENSE_MAX_COLUMNS = 64
# Candidates kept beyond K so that dropping duplicate titles still leaves K neighbors.
MARGIN = 16
# Random columns added to the pivots of the exact threshold shortcut in `top_k`.
PIVOT_SAMPLE = 2048
COLLAB = "collab"
BIAS = "prior"

ScoreRows = Callable[[int, int], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class Neighbors:
    """Top-K table: indices (-1 pads), final scores and per-component terms (blocks, collab, bias)."""

    indices: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float32]
    components: npt.NDArray[np.float16]
    component_names: list[str]


# A block of content scores and its unrelated-categories mask (None without a penalty).
_Content = tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_] | None]


class _LastBlock:
    """The content part of the last block of rows (scores and penalty mask), computed by one table
    and handed once to a sibling scored in lockstep."""

    def __init__(self) -> None:
        self.key: tuple[int, int] | None = None
        self.content: _Content | None = None

    def take(self, start: int, stop: int) -> _Content | None:
        """The stored block if it is of these rows, given up: the taker owns it and may write to it
        (any later ask for these rows computes them afresh)."""
        if self.key != (start, stop):
            return None
        content = self.content
        self.key, self.content = None, None
        return content

    def put(self, start: int, stop: int, content: _Content) -> None:
        self.key, self.content = (start, stop), content


class Similarity:
    """The score above, computed a block of query rows at a time."""

    def __init__(
        self,
        blocks: dict[str, sp.csr_matrix],
        weights: dict[str, float],
        bias: npt.NDArray[np.float64],
        *,
        collab: ItemSignal | None = None,
        collab_weight: float = 0.0,
        agreement: sp.csr_matrix | None = None,
        penalty: float = 0.0,
    ) -> None:
        self.names = [name for name in blocks if weights.get(name, 0.0) > 0.0]
        self.scaled = {
            name: sp.csr_matrix(
                blocks[name] * np.float32(math.sqrt(weights[name])), dtype=np.float32
            )
            for name in self.names
        }
        self.n = len(bias)
        sparse_parts = [m for m in self.scaled.values() if m.shape[1] > DENSE_MAX_COLUMNS]
        dense_parts = [m for m in self.scaled.values() if m.shape[1] <= DENSE_MAX_COLUMNS]
        self.sparse = (
            sp.csr_matrix(sp.hstack(sparse_parts, format="csr"), dtype=np.float32)
            if sparse_parts
            else None
        )
        # The transpose is converted once: scipy would otherwise convert it for every block of rows.
        self.sparse_t = self.sparse.T.tocsr() if self.sparse is not None else None
        self.dense = (
            np.hstack([m.toarray() for m in dense_parts]).astype(np.float32)
            if dense_parts
            else None
        )
        self.bias = np.asarray(bias, dtype=np.float32)
        # Shared with the siblings of with_collab only: a lone table keeps no copy of its blocks.
        self._content: _LastBlock | None = None
        self.collab = collab if collab is not None and collab_weight > 0 else None
        self.collab_weight = np.float32(collab_weight)
        self.penalty = np.float32(penalty)
        # Categories (genres: 20, listed_in: ~120) are few and frequent: a dense BLAS product.
        self.agreement: npt.NDArray[np.float32] | None = None
        if agreement is not None and penalty > 0:
            self.agreement = np.asarray((agreement != 0).toarray(), dtype=np.float32)
            self.has_category: npt.NDArray[np.bool_] = np.asarray(self.agreement.any(axis=1))

    @property
    def component_names(self) -> list[str]:
        """Names of the per-pair terms that sum to the score (penalty excluded)."""
        return [*self.names, *([COLLAB] if self.collab is not None else []), BIAS]

    def with_collab(self, collab: ItemSignal | None) -> Similarity:
        """The same score with another collaborative signal: the content matrices are this one's
        (built once), and so is the last block of content scores and penalty mask, so that scored in
        lockstep (:func:`build_many`) the costly sparse product of each block of rows runs once for both."""
        if self._content is None:
            self._content = _LastBlock()
        other = copy.copy(self)
        other.collab = collab if collab is not None and self.collab_weight > 0 else None
        return other

    def _content_rows(self, start: int, stop: int) -> _Content:
        """Content scores of queries ``start..stop-1`` (the caller's to write to) and the mask of
        pairs that share no category: the part of :meth:`rows` the siblings of :meth:`with_collab`
        have in common."""
        cached = self._content.take(start, stop) if self._content is not None else None
        if cached is not None:
            return cached
        if self.sparse is not None and self.sparse_t is not None:
            out = np.asarray((self.sparse[start:stop] @ self.sparse_t).toarray(), dtype=np.float32)
        else:
            out = np.zeros((stop - start, self.n), dtype=np.float32)
        if self.dense is not None:
            out += self.dense[start:stop] @ self.dense.T
        unrelated = None
        if self.agreement is not None:
            shared = (self.agreement[start:stop] @ self.agreement.T) > 0
            unrelated = ~shared & self.has_category[start:stop, None] & self.has_category[None, :]
        if self._content is not None:
            # The mask is only read: the sibling may have it as it is.
            self._content.put(start, stop, (out.copy(), unrelated))
        return out, unrelated

    def rows(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        """Final scores of queries ``start..stop-1`` against every title: a dense ``(stop-start) x n`` block."""
        out, unrelated = self._content_rows(start, stop)
        if self.collab is not None:
            out += self.collab_weight * self.collab.rows(start, stop)
        out += self.bias[None, :]
        if unrelated is not None:
            np.subtract(out, self.penalty, out=out, where=unrelated)
        return out

    def components(self, start: int, idx: npt.NDArray[np.int32]) -> npt.NDArray[np.float32]:
        """Terms in :attr:`component_names` order of queries ``start..start+len(idx)-1`` and their
        listed neighbors ``idx`` (-1 = none, terms 0): ``[rows, K, len(component_names)]``.

        Content terms are per-pair products of short sparse rows; the collaborative term is read off
        the block of collaborative scores (a popular title's row spans tens of thousands of users, so
        per-pair products would cost far more than one block product).
        """
        rows, k = idx.shape
        flat = idx.ravel().astype(np.intp)
        valid = flat >= 0
        queries = np.repeat(np.arange(start, start + rows), k)[valid]
        neighbors = flat[valid]
        terms = np.zeros((len(flat), len(self.component_names)), dtype=np.float32)
        for col, name in enumerate(self.names):
            m = self.scaled[name]
            terms[valid, col] = np.asarray(m[queries].multiply(m[neighbors]).sum(axis=1)).ravel()
        if self.collab is not None:
            block = self.collab.rows(start, start + rows)
            picked = np.take_along_axis(block, np.where(idx >= 0, idx, 0).astype(np.intp), axis=1)
            terms[:, len(self.names)] = (self.collab_weight * picked).ravel()
        terms[valid, -1] = self.bias[neighbors]
        terms[~valid] = 0.0
        return terms.reshape(rows, k, -1)


def top_k(
    score_rows: ScoreRows,
    n: int,
    k: int,
    *,
    block_rows: int,
    groups: npt.NDArray[np.int64] | None = None,
    hint: npt.NDArray[np.float32] | None = None,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The ``k`` best-scoring titles of every row, best first (ties: lower index first).

    ``groups`` (e.g. one id per folded title) excludes from row ``i`` every title of ``i``'s own group
    (itself included) and keeps only the best title of each group within a row; without it, only
    ``i`` itself is excluded. Rows with fewer than ``k`` candidates are padded with index -1.

    ``hint`` (optional) speeds this up without changing the result: per column, a guess of how high
    it scores in any row (e.g. the prior). The columns with the highest hints serve as pivots: a row's
    ``keep``-th best score among them is a threshold its top ``keep`` all reach, so only the columns
    above it are sorted. Exact for any hint; a good hint just leaves fewer columns to sort.
    """
    return top_k_many([score_rows], n, [k], block_rows=block_rows, groups=groups, hint=hint)[0]


def top_k_many(
    score_rows: Sequence[ScoreRows],
    n: int,
    ks: Sequence[int],
    *,
    block_rows: int,
    groups: npt.NDArray[np.int64] | None = None,
    hint: npt.NDArray[np.float32] | None = None,
) -> list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]]:
    """:func:`top_k` of several score functions over the same titles, scored block by block in
    lockstep (so functions that share a part, see :meth:`Similarity.with_collab`, compute it once)."""
    if groups is None:
        groups = np.arange(n, dtype=np.int64)
    members: dict[int, npt.NDArray[np.intp]] = {}
    uniq, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    for g in np.flatnonzero(counts > 1):
        members[int(uniq[g])] = np.flatnonzero(inverse == g)
    tables = [
        (np.full((n, k), -1, dtype=np.int32), np.full((n, k), -np.inf, dtype=np.float32))
        for k in ks
    ]
    keeps = [min(k + MARGIN, n) for k in ks]
    need = max(keeps) + int(counts.max(initial=1))
    # Pivot columns: any `need` columns hold >= keep valid ones per row, which makes the threshold
    # exact; the best-hinted ones and a fixed random sample make it tight.
    pivots: npt.NDArray[np.intp] | None = None
    if need + PIVOT_SAMPLE < n:
        rng = np.random.default_rng(0)
        first = (
            np.argpartition(hint, n - need)[n - need :]
            if hint is not None
            else rng.choice(n, size=need, replace=False)
        )
        pivots = np.union1d(first, rng.choice(n, size=PIVOT_SAMPLE, replace=False))
    for start in range(0, n, block_rows):
        stop = min(start + block_rows, n)
        rows = np.arange(stop - start)
        for fn, keep, (indices, scores) in zip(score_rows, keeps, tables, strict=True):
            block = fn(start, stop)
            block[rows, np.arange(start, stop)] = -np.inf
            for r in rows:
                same = members.get(int(groups[start + r]))
                if same is not None:
                    block[r, same] = -np.inf
            cand, vals = _best(block, keep, pivots)
            del block
            _dedupe_into(cand, vals, groups, indices[start:stop], scores[start:stop])
        if start // block_rows % 10 == 9:
            log.info("top-%s: %d of %d rows", "/".join(map(str, ks)), stop, n)
    return tables


def _best(
    block: npt.NDArray[np.float32], keep: int, pivots: npt.NDArray[np.intp] | None
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
    """The ``keep`` best columns of every row of a dense block, sorted (score desc, column asc).

    With ``pivots`` (columns among which every row has >= ``keep`` valid scores), the ``keep``-th
    best score among them is a per-row threshold that the row's top ``keep`` all reach: rows with few
    columns above it sort only those; the others fall back to ``argpartition`` over the whole row.
    """
    n_rows, n = block.shape
    cand = np.empty((n_rows, keep), dtype=np.intp)
    vals = np.empty((n_rows, keep), dtype=np.float32)
    if keep >= n:
        cand[:] = np.arange(n)[None, :]
        vals[:] = block
        heavy = np.ones(n_rows, dtype=bool)
    else:
        heavy = np.ones(n_rows, dtype=bool)
        if pivots is not None:
            sub = block[:, pivots]
            cut = np.partition(sub, len(pivots) - keep, axis=1)[:, len(pivots) - keep]
            above = block >= cut[:, None]
            per_row = above.sum(axis=1)
            heavy = per_row > max(n // 8, 4 * keep)
            light = np.flatnonzero(~heavy)
            if len(light):
                r_idx, c_idx = np.nonzero(above[light])
                v = block[light[r_idx], c_idx]
                order = np.lexsort((c_idx, -v, r_idx))
                counts = per_row[light]
                starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
                take = order[starts[:, None] + np.arange(keep)[None, :]]
                cand[light] = c_idx[take]
                vals[light] = v[take]
        rows = np.flatnonzero(heavy)
        if len(rows):
            part = np.argpartition(-block[rows], keep - 1, axis=1)[:, :keep]
            cand[rows] = part
            vals[rows] = np.take_along_axis(block[rows], part, axis=1)
            heavy = np.zeros(n_rows, dtype=bool)
            heavy[rows] = True
    rows = np.flatnonzero(heavy)
    if len(rows):
        order = np.lexsort((cand[rows], -vals[rows]), axis=1)
        cand[rows] = np.take_along_axis(cand[rows], order, axis=1)
        vals[rows] = np.take_along_axis(vals[rows], order, axis=1)
    return cand, vals


def _dedupe_into(
    cand: npt.NDArray[np.intp],
    vals: npt.NDArray[np.float32],
    groups: npt.NDArray[np.int64],
    out_idx: npt.NDArray[np.int32],
    out_scores: npt.NDArray[np.float32],
) -> None:
    """Copy the first k valid candidates per row, dropping later titles of an already-listed group."""
    k = out_idx.shape[1]
    g = groups[cand]
    sorted_g = np.sort(g, axis=1)
    has_dup = (sorted_g[:, 1:] == sorted_g[:, :-1]).any(axis=1)
    clean = ~has_dup
    width = min(k, cand.shape[1])
    out_idx[clean, :width] = cand[clean, :width]
    out_scores[clean, :width] = vals[clean, :width]
    for r in np.flatnonzero(has_dup):
        seen: set[int] = set()
        j = 0
        for c, v, grp in zip(cand[r], vals[r], g[r], strict=True):
            if j == k:
                break
            if int(grp) in seen:
                continue
            seen.add(int(grp))
            out_idx[r, j] = c
            out_scores[r, j] = v
            j += 1
    invalid = ~np.isfinite(out_scores)
    out_idx[invalid] = -1
    out_scores[invalid] = -np.inf


def build(
    similarity: Similarity,
    k: int,
    *,
    block_rows: int,
    groups: npt.NDArray[np.int64] | None = None,
    max_share: float | None = None,
    with_components: bool = True,
) -> Neighbors:
    """The top-K table of a similarity, with each neighbor's per-component terms (unless
    ``with_components`` is false: a table only evaluated needs none).

    With ``max_share``, no title stays in more than that share of the top-5 lists (:func:`cap_share`).
    """
    return build_many(
        [similarity],
        [k],
        block_rows=block_rows,
        groups=groups,
        max_share=max_share,
        with_components=[with_components],
    )[0]


def build_many(
    similarities: Sequence[Similarity],
    ks: Sequence[int],
    *,
    block_rows: int,
    groups: npt.NDArray[np.int64] | None = None,
    max_share: float | None = None,
    with_components: Sequence[bool] | None = None,
) -> list[Neighbors]:
    """:func:`build` of several similarities over the same titles, scored in lockstep.

    ``with_components`` (one flag per similarity, default all) skips the per-component terms of a
    table that only serves to be evaluated: they explain reasons, and cost a pass of their own.
    """
    n = similarities[0].n
    tables = top_k_many(
        [s.rows for s in similarities],
        n,
        ks,
        block_rows=block_rows,
        groups=groups,
        hint=similarities[0].bias,
    )
    flags = list(with_components) if with_components is not None else [True] * len(similarities)
    out: list[Neighbors] = []
    for similarity, k, (indices, scores), explain in zip(
        similarities, ks, tables, flags, strict=True
    ):
        if max_share is not None:
            moved = cap_share(indices, scores, max_share=max_share)
            if moved:
                log.info(
                    "hubness cap: %d list entries gave way (max share %.1f%%)",
                    moved,
                    100 * max_share,
                )
        width = len(similarity.component_names)
        components = np.zeros((n, k, width if explain else 0), dtype=np.float16)
        for start in range(0, n if explain else 0, block_rows):
            stop = min(start + block_rows, n)
            components[start:stop] = similarity.components(start, indices[start:stop]).astype(
                np.float16
            )
        scores[indices < 0] = 0.0
        out.append(
            Neighbors(
                indices=indices,
                scores=scores,
                components=components,
                component_names=similarity.component_names,
            )
        )
    return out


# The length of the lists people get (and the evaluation scores).
TOP: Final = 5


def cap_share(
    indices: npt.NDArray[np.int32],
    scores: npt.NDArray[np.float32],
    *,
    max_share: float,
    top: int = TOP,
) -> int:
    """Keep every title in at most ``max_share`` of the top-``top`` lists, in place; entries moved.

    A title that is among the ``top`` best of more lists than that (a *hub*: a widely liked film that
    scores a little with everything) keeps the lists where it scores highest; in the others it leaves
    the list, and the next most similar title moves up. Repeated until no title is over the cap, so
    the lists a hub leaves are served by their next-best genuine neighbors, never by popularity.
    Returns how many list entries were removed.
    """
    n, k = indices.shape
    cap = max(1, math.floor(max_share * n))
    removed = 0
    while True:
        head = indices[:, : min(top, k)]
        counts = np.bincount(head[head >= 0], minlength=n)
        over = np.flatnonzero(counts > cap)
        if not len(over):
            return removed
        for j in over:
            rows, cols = np.nonzero(head == j)
            order = np.lexsort((rows, -scores[rows, cols]))
            for r, c in zip(rows[order[cap:]], cols[order[cap:]], strict=True):
                indices[r, c:-1] = indices[r, c + 1 :].copy()
                scores[r, c:-1] = scores[r, c + 1 :].copy()
                indices[r, -1] = -1
                scores[r, -1] = -np.inf
                removed += 1

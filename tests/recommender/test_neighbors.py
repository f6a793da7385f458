"""Block-wise top-K and the weighted block similarity, checked against brute force (no data, no HTTP)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
import scipy.sparse as sp

from recommender import neighbors


def _random_blocks(n: int, seed: int) -> dict[str, sp.csr_matrix]:
    rng = np.random.default_rng(seed)
    blocks = {}
    for name, cols, density in (("text", 300, 0.05), ("genres", 12, 0.2), ("cast", 150, 0.02)):
        m = sp.random(n, cols, density=density, random_state=rng, dtype=np.float32, format="csr")
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        blocks[name] = sp.csr_matrix(sp.diags(1.0 / norms) @ m, dtype=np.float32)
    return blocks


def _brute_force(
    dense: npt.NDArray[np.float64], k: int, groups: npt.NDArray[np.int64]
) -> list[list[int]]:
    out = []
    for i, row in enumerate(dense):
        order = sorted(range(len(row)), key=lambda j: (-row[j], j))
        picked: list[int] = []
        seen = {int(groups[i])}
        for j in order:
            if int(groups[j]) not in seen:
                seen.add(int(groups[j]))
                picked.append(j)
            if len(picked) == k:
                break
        out.append(picked)
    return out


@pytest.mark.parametrize("block_rows", [1, 7, 64, 500])
@pytest.mark.parametrize("prior_weight", [0.0, 0.8, "per query"])
@pytest.mark.parametrize("pivot_sample", [0, 16, 100_000])
def test_block_wise_top_k_equals_dense_brute_force(
    block_rows: int, prior_weight: float | str, pivot_sample: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pivot_sample 0 and 16 exercise the threshold shortcut; 100,000 turns it off.
    monkeypatch.setattr(neighbors, "PIVOT_SAMPLE", pivot_sample)
    n, k = 180, 10
    blocks = _random_blocks(n, seed=1)
    weights = {"text": 0.5, "genres": 0.2, "cast": 0.3}
    rng = np.random.default_rng(2)
    prior = rng.random(n)
    query_weight = rng.random(n) * 2 if prior_weight == "per query" else np.full(n, prior_weight)
    sim = neighbors.Similarity(blocks, weights, prior, query_weight)
    dense = sum(w * (blocks[b] @ blocks[b].T).toarray() for b, w in weights.items())
    dense = dense + query_weight[:, None] * prior[None, :]
    groups = np.arange(n, dtype=np.int64)
    groups[[3, 40, 77]] = 3  # three titles of one name: never listed with each other
    idx, scores = neighbors.top_k(
        sim.rows, n, k, block_rows=block_rows, groups=groups, hint=sim.prior
    )
    expected = _brute_force(dense, k, groups)
    assert idx.tolist() == expected
    got = np.take_along_axis(dense, idx.astype(np.intp), axis=1)
    np.testing.assert_allclose(scores, got, rtol=1e-5, atol=1e-5)


def test_rows_are_sorted_best_first_without_self_or_duplicates() -> None:
    n, k = 120, 15
    blocks = _random_blocks(n, seed=3)
    sim = neighbors.Similarity(blocks, {"text": 1.0, "genres": 0.5}, np.zeros(n), 0.0)
    groups = np.arange(n, dtype=np.int64) // 2  # pairs of equal titles
    table = neighbors.build(sim, k, block_rows=16, groups=groups)
    for i in range(n):
        row = table.indices[i]
        assert i not in row
        assert groups[i] not in groups[row]
        assert len(set(groups[row].tolist())) == k
        assert np.all(np.diff(table.scores[i]) <= 1e-6)


def test_components_add_up_to_the_score() -> None:
    n, k = 90, 8
    blocks = _random_blocks(n, seed=4)
    prior = np.linspace(0.0, 1.0, n)
    query_weight = np.linspace(1.0, 0.0, n)
    sim = neighbors.Similarity(
        blocks, {"text": 0.6, "genres": 0.1, "cast": 0.3}, prior, query_weight
    )
    table = neighbors.build(sim, k, block_rows=32)
    assert table.component_names == ["text", "genres", "cast", "prior"]
    total = table.components.astype(np.float32).sum(axis=2)
    np.testing.assert_allclose(total, table.scores, atol=5e-3)


def test_small_catalogue_pads_with_minus_one() -> None:
    n = 4
    blocks = _random_blocks(n, seed=5)
    sim = neighbors.Similarity(blocks, {"text": 1.0}, np.zeros(n), 0.0)
    groups = np.array([0, 0, 1, 2], dtype=np.int64)
    idx, _ = neighbors.top_k(sim.rows, n, 3, block_rows=2, groups=groups)
    assert sorted(idx[0].tolist()) == [-1, 2, 3]
    assert sorted(idx[2].tolist()) == [-1, 0, 3] or sorted(idx[2].tolist()) == [-1, 1, 3]

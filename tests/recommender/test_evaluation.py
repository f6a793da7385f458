"""The evaluation metrics and the user split on hand-made inputs with known answers (no data files)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommender import collaborative, evaluation


def _categories(rows: list[list[int]], width: int) -> sp.csr_matrix:
    m = np.zeros((len(rows), width), dtype=np.float32)
    for i, row in enumerate(rows):
        m[i, row] = 1.0
    return sp.csr_matrix(m)


TITLES = [f"t{i}" for i in range(8)]
NO_COLLECTION = np.full(8, -1, dtype=np.int64)


def test_max_share_names_the_most_listed_title() -> None:
    # Title 7 is in 6 of the 8 lists; titles 0 and 1 in one each (-1 = no neighbor).
    top = np.full((8, 5), -1)
    top[:6, 0] = 7
    top[6, 0], top[7, 0] = 0, 1
    m = evaluation.evaluate(
        top, titles=TITLES, categories=_categories([[0]] * 8, 1), collection=NO_COLLECTION
    )
    assert m.max_share == pytest.approx(6 / 8)
    assert m.max_share_title == "t7"
    assert m.coverage_at_5 == pytest.approx(3 / 8)
    assert m.hit_at_5 is None
    assert m.users == 0


def test_category_agreement_counts_only_pairs_where_both_have_one() -> None:
    # Query 0 (genre 0): neighbors 1 (genre 0, agree), 2 (genre 1, disagree), 3 (no genre: skipped).
    categories = _categories([[0], [0], [1], [], [0, 1], [1], [1], [1]], 2)
    top = np.full((8, 5), -1)
    top[0, :3] = [1, 2, 3]
    top[4, :2] = [2, 0]  # genre {0,1} shares with both
    m = evaluation.evaluate(top, titles=TITLES, categories=categories, collection=NO_COLLECTION)
    assert m.category_agreement == pytest.approx(3 / 4)


def test_hit_and_tail_hit_count_only_targets_outside_the_head() -> None:
    # One user liked 0, 1 and 5; titles 0 and 1 are in the head (most liked), 5 is in the tail.
    top = np.array(
        [
            [1, 2, 3, 4, 6],  # query 0: hits 1 (head) -> hit, no tail hit
            [5, 2, 3, 4, 6],  # query 1: hits 5 (tail) -> hit and tail hit
            [0, 1, 3, 4, 6],
            [0, 1, 2, 4, 6],
            [0, 1, 2, 3, 6],
            [2, 3, 4, 6, 7],  # query 5: nothing -> miss; its tail targets exclude itself: none
            [0, 1, 2, 3, 4],
            [0, 1, 2, 3, 4],
        ]
    )
    m = evaluation.evaluate(
        top,
        titles=TITLES,
        categories=_categories([[0]] * 8, 1),
        collection=NO_COLLECTION,
        positives=[np.array([0, 1, 5])],
        head=np.array([0, 1]),
    )
    assert m.hit_at_5 == pytest.approx(2 / 3)
    assert m.precision_at_5 == pytest.approx(2 / 15)
    assert m.tail_queries == 2  # queries 0 and 1 have the tail target 5; query 5 has none
    assert m.tail_hit_at_5 == pytest.approx(1 / 2)


def test_collection_recall_over_sagas_only() -> None:
    collection = np.array([9, 9, 9, -1, 4, -1, -1, -1], dtype=np.int64)
    top = np.array([[1, 2, 3, 5, 6], [0, 3, 5, 6, 7], [3, 5, 6, 7, 4]] + [[0, 1, 2, 3, 5]] * 5)
    m = evaluation.evaluate(
        top, titles=TITLES, categories=_categories([[0]] * 8, 1), collection=collection
    )
    # Saga 9: title 0 finds 2/2, title 1 finds 1/2, title 2 finds 0/2; saga 4 has one member.
    assert m.collection_recall_at_5 == pytest.approx((1 + 0.5 + 0) / 3)


def test_most_liked_orders_by_likes_then_index() -> None:
    likes = sp.csr_matrix(np.array([[1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 1, 0]], dtype=np.float32))
    assert evaluation.most_liked(likes, 3).tolist() == [1, 3, 0]


def test_split_is_fixed_disjoint_and_twenty_percent() -> None:
    users = np.arange(1, 1001, dtype=np.int64)
    test = collaborative.split_users(users)
    assert test.sum() == 200
    assert np.array_equal(test, collaborative.split_users(users))  # same seed, same split
    assert not np.array_equal(test, collaborative.split_users(users, seed=1))
    likes = collaborative.Likes(sp.csr_matrix(np.eye(1000, 5, dtype=np.float32)), users, 1000, 5)
    train_part, test_part = likes.subset(~test), likes.subset(test)
    assert not set(train_part.user_ids.tolist()) & set(test_part.user_ids.tolist())
    assert train_part.n_users + test_part.n_users == 1000

"""Feature blocks and the prior on hand-made inputs (no data files)."""

from __future__ import annotations

import numpy as np

from recommender import features


def test_multi_hot_rows_are_unit_length_and_rare_values_weigh_more() -> None:
    rows = [["Drama", "Crime"], ["Drama", "Crime"], ["Drama"], ["Drama", "War"], ["War"], []]
    m = features.multi_hot(rows).toarray()
    norms = np.linalg.norm(m, axis=1)
    np.testing.assert_allclose(norms[:5], 1.0, rtol=1e-6)
    assert norms[5] == 0.0
    # Sharing a rarer value (Crime, 2 rows) counts more than sharing the common one (Drama, 4 rows).
    crime_pair = float(m[0] @ m[1])
    drama_only = float(m[2] @ m[3])
    assert crime_pair > drama_only > 0


def test_multi_hot_drops_values_seen_once_and_survives_no_shared_value() -> None:
    assert features.multi_hot([["a"], ["b"], ["c"]]).shape == (3, 0)
    assert features.multi_hot([["a", "b"], ["a"], ["c"]]).shape == (3, 1)


def test_text_tfidf_ignores_stop_words() -> None:
    m = features.text_tfidf(
        ["the toys come to life", "the toys of a boy", "the end of the war", "war"]
    )
    sims = (m @ m.T).toarray()
    assert sims[0, 1] > 0  # "toys"
    assert sims[0, 2] == 0  # only "the" in common
    np.testing.assert_allclose(np.diag(sims), 1.0, rtol=1e-5)


def test_weighted_rating_shrinks_few_votes_towards_the_mean() -> None:
    mean = np.array([9.5, 8.0, 6.0, 5.0, np.nan])
    votes = np.array([2.0, 5000.0, 4000.0, 3000.0, 0.0])
    prior = features.weighted_rating(mean, votes)
    assert prior.min() >= 0.0
    assert prior.max() <= 1.0
    # 8.0 from 5,000 votes beats 9.5 from 2 votes; no rating at all sits with the mean-ish titles.
    assert prior[1] == prior.max()
    assert prior[1] > prior[0]
    assert prior[3] == prior.min()


def test_log_scaled_is_in_unit_range_and_monotonic() -> None:
    values = np.array([0.0, 1.0, 10.0, 100.0, np.nan])
    scaled = features.log_scaled(values)
    assert scaled[3] == 1.0
    assert scaled[0] == 0.0
    assert scaled[4] == 0.0
    assert np.all(np.diff(scaled[:4]) > 0)

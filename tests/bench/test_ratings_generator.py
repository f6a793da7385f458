"""The generated MovieLens links.csv and ratings.csv: layout, counts, realism and taste structure."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.catalogue import (
    LINKS_HEADER,
    RATINGS_HEADER,
    STARS,
    generate_data_dir,
    generate_ratings,
    iter_rows,
)
from recommender.ratings import read_ratings

ROWS = 1_000
RATINGS = 30_000
USERS = 300


@pytest.fixture(scope="module")
def movies(raw_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ratings")
    generate_data_dir(raw_data_dir, out, n_rows=ROWS, seed=4, n_ratings=RATINGS, n_users=USERS)
    return out / "movies"


@pytest.fixture(scope="module")
def ratings(movies: Path) -> pd.DataFrame:
    return pd.read_csv(movies / "ratings.csv")


@pytest.fixture(scope="module")
def films(movies: Path) -> pd.DataFrame:
    """Distinct generated films: id and genre names (the broken rows keep theirs)."""
    seen: dict[int, list[str]] = {}
    for row in list(iter_rows(movies / "movies_dataset.csv"))[1:]:
        if len(row) >= 10 and row[5].isdigit():
            seen.setdefault(int(row[5]), re.findall(r"'name': '([^']*)'", row[3]))
    return pd.DataFrame({"tmdbId": list(seen), "genres": list(seen.values())})


def test_ratings_layout(movies: Path, ratings: pd.DataFrame) -> None:
    with (movies / "ratings.csv").open(encoding="utf-8") as f:
        header, first = f.readline().strip(), f.readline().strip()

    assert header == RATINGS_HEADER
    assert re.fullmatch(r"\d+,\d+,[0-5]\.[05],\d{9,10}", first)
    assert len(ratings) == RATINGS
    assert sorted(ratings["userId"].unique()) == list(range(1, USERS + 1))
    assert set(ratings["rating"]) <= set(STARS)
    assert not ratings.duplicated(["userId", "movieId"]).any()
    assert ratings.set_index(["userId", "movieId"]).index.is_monotonic_increasing
    # MovieLens's dates: 1995 to the sample's last rating; whole stars only before 2003-02-18.
    assert ratings["timestamp"].between(789_000_000, 1_480_000_000).all()
    early = ratings[ratings["timestamp"] < 1_045_526_400]
    assert len(early) > 0
    assert (early["rating"] % 1 == 0).all()


def test_links_cover_every_film(movies: Path, ratings: pd.DataFrame, films: pd.DataFrame) -> None:
    with (movies / "links.csv").open(encoding="utf-8") as f:
        assert f.readline().strip() == LINKS_HEADER
    links = pd.read_csv(movies / "links.csv", dtype=str)

    assert links["movieId"].astype(int).is_monotonic_increasing
    assert links["movieId"].is_unique
    assert links["imdbId"].str.fullmatch(r"\d{7}").all()
    linked = set(links["tmdbId"].dropna().astype(int))
    assert set(films["tmdbId"]) <= linked
    # Links outside the catalogue exist, as in the real file: no tmdbId, or an id metadata lacks.
    assert links["tmdbId"].isna().any()
    assert linked - set(films["tmdbId"])
    assert set(ratings["movieId"]) <= set(links["movieId"].astype(int))


def test_read_back_through_links(movies: Path, ratings: pd.DataFrame, films: pd.DataFrame) -> None:
    result = read_ratings(movies / "ratings.csv", movies / "links.csv", films["tmdbId"].to_numpy())

    assert result.rows_read == RATINGS
    assert 0 < result.unmapped < 0.05 * RATINGS
    assert result.kept + result.unmapped + result.duplicates == RATINGS
    assert result.matrix.shape == (USERS, len(films))


def test_realistic_distributions(raw_data_dir: Path, ratings: pd.DataFrame) -> None:
    real = pd.read_csv(raw_data_dir / "movies" / "ratings_small.csv.gz")
    real_shares = real["rating"].value_counts(normalize=True)
    shares = ratings["rating"].value_counts(normalize=True)
    per_user = ratings.groupby("userId").size()
    per_item = ratings.groupby("movieId").size()

    assert (shares.reindex(STARS) - real_shares.reindex(STARS)).abs().max() < 0.04
    assert 55 <= per_user.median() <= 85
    assert per_user.max() > 4 * per_user.median()  # heavy-tailed activity
    # Long-tailed popularity: the top tenth of the films gets well over a tenth of the ratings.
    top_tenth = per_item.sort_values(ascending=False).iloc[: len(per_item) // 10]
    assert top_tenth.sum() > 0.25 * len(ratings)


def test_users_have_taste(movies: Path, ratings: pd.DataFrame, films: pd.DataFrame) -> None:
    """Two films rated by one user share a genre more often than two rated by different users, and
    users rate films of their most-rated genre higher than their other films."""
    links = pd.read_csv(movies / "links.csv").dropna(subset=["tmdbId"])
    tmdb = dict(zip(links["movieId"], links["tmdbId"].astype(int), strict=True))
    genres = dict(zip(films["tmdbId"], films["genres"], strict=True))
    frame = ratings.assign(genres=ratings["movieId"].map(tmdb).map(genres)).dropna()
    frame = frame[frame["genres"].map(len) > 0].sample(frac=1.0, random_state=0)

    def overlap(left: pd.Series[list[str]], right: pd.Series[list[str]]) -> float:
        pairs = zip(left.tolist(), right.tolist(), strict=True)
        return float(np.mean([bool(set(a) & set(b)) for a, b in pairs]))

    by_user = frame.sort_values("userId", kind="stable")
    same_user = by_user["userId"].to_numpy()[1:] == by_user["userId"].to_numpy()[:-1]
    within = overlap(by_user["genres"].iloc[:-1][same_user], by_user["genres"].iloc[1:][same_user])
    across = overlap(frame["genres"].iloc[:-1], frame["genres"].iloc[1:])
    assert within > across + 0.05, (within, across)

    exploded = frame.explode("genres")
    favourite = exploded.groupby(["userId", "genres"]).size().groupby("userId").idxmax()
    liked = exploded.set_index(["userId", "genres"]).index.isin(favourite.tolist())
    in_favourite = exploded.assign(liked=liked).groupby(["userId", "movieId"])["liked"].any()
    mean = frame.set_index(["userId", "movieId"])["rating"].groupby(in_favourite).mean()
    assert mean[True] > mean[False] + 0.15, mean.to_dict()


def test_same_seed_same_bytes(movies: Path, raw_data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "movies"
    copy.mkdir()
    (copy / "movies_dataset.csv").symlink_to(movies / "movies_dataset.csv")
    (tmp_path / ".catalogue.json").write_bytes((movies.parent / ".catalogue.json").read_bytes())

    generate_ratings(copy, raw_data_dir, n_ratings=RATINGS, n_users=USERS, seed=4)
    written = (copy / "ratings.csv").stat().st_mtime_ns
    generate_ratings(copy, raw_data_dir, n_ratings=RATINGS, n_users=USERS, seed=4)

    assert (copy / "ratings.csv").read_bytes() == (movies / "ratings.csv").read_bytes()
    assert (copy / "links.csv").read_bytes() == (movies / "links.csv").read_bytes()
    assert (copy / "ratings.csv").stat().st_mtime_ns == written  # reused, not rewritten

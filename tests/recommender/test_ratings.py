"""The chunked MovieLens ratings reader on small hand-made files with known answers."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pytest

from recommender import ratings
from recommender.ratings import read_ratings

Engine = Literal["pandas", "pyarrow"]
ENGINES: tuple[Engine, ...] = ("pandas", "pyarrow")

LINKS = """movieId,imdbId,tmdbId
1,0114709,862
2,0113497,8844
3,0113228,15602
5,0113041,
7,0114319,11860
9,0112302,999999
"""
# Catalogue columns: 862 -> 0, 8844 -> 1, 15602 -> 2, 11860 -> 3, 4 without any rating.
CATALOGUE = [862, 8844, 15602, 11860, 31357]

RATINGS = """userId,movieId,rating,timestamp
1,1,4.0,1000
1,2,3.5,1001
1,5,2.0,1002
2,9,5.0,1003
2,42,1.0,1004
3,3,0.5,1005
3,7,5.0,1006
10,1,2.5,1007
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_maps_movielens_ids_to_catalogue_columns(tmp_path: Path) -> None:
    links = _write(tmp_path, "links.csv", LINKS)
    result = read_ratings(_write(tmp_path, "ratings.csv", RATINGS), links, CATALOGUE)

    # User 2 rated only unmapped movies, so it has no row.
    assert result.user_ids.tolist() == [1, 3, 10]
    assert result.matrix.dtype == np.float32
    assert result.matrix.shape == (3, 5)
    assert result.matrix.toarray().tolist() == [
        [4.0, 3.5, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.5, 5.0, 0.0],
        [2.5, 0.0, 0.0, 0.0, 0.0],
    ]
    assert result.matrix.has_canonical_format


def test_counts_unmapped_rows(tmp_path: Path) -> None:
    links = _write(tmp_path, "links.csv", LINKS)
    result = read_ratings(_write(tmp_path, "ratings.csv", RATINGS), links, CATALOGUE)

    # movieId 5: link without tmdbId; 9: tmdbId outside the catalogue; 42: no link at all.
    assert (result.rows_read, result.unmapped, result.duplicates, result.kept) == (8, 3, 0, 5)


def test_duplicates_keep_the_latest_rating(tmp_path: Path) -> None:
    links = _write(tmp_path, "links.csv", LINKS + "11,0000011,862\n")
    ratings = """userId,movieId,rating,timestamp
1,1,1.0,2000
1,1,4.5,3000
1,1,3.0,2500
2,2,2.0,500
2,2,3.0,500
3,1,1.5,100
3,11,4.0,90
4,3,5.0,7
"""
    result = read_ratings(_write(tmp_path, "ratings.csv", ratings), links, CATALOGUE)

    dense = result.matrix.toarray()
    assert result.user_ids.tolist() == [1, 2, 3, 4]
    assert dense[0, 0] == 4.5  # the latest timestamp, not the last line
    assert dense[1, 1] == 3.0  # a timestamp tie: the later line
    assert dense[2, 0] == 1.5  # movieIds 1 and 11 are one catalogue title: the later timestamp
    assert dense[3, 2] == 5.0
    assert (result.rows_read, result.unmapped, result.duplicates, result.kept) == (8, 0, 4, 4)


@pytest.mark.parametrize("engine", ENGINES)
def test_gzip_and_column_order(tmp_path: Path, engine: Engine) -> None:
    links = _write(tmp_path, "links.csv.gz", LINKS)
    plain = read_ratings(_write(tmp_path, "ratings.csv", RATINGS), links, CATALOGUE)
    lines = [line.split(",") for line in RATINGS.strip().splitlines()]
    shuffled = "\n".join(f"{r[3]},{r[0]},{r[2]},{r[1]}" for r in lines) + "\n"
    packed = read_ratings(
        _write(tmp_path, "ratings.csv.gz", shuffled), links, CATALOGUE, engine=engine
    )

    assert (packed.matrix != plain.matrix).nnz == 0
    assert packed.user_ids.tolist() == plain.user_ids.tolist()
    assert (packed.rows_read, packed.unmapped) == (plain.rows_read, plain.unmapped)


@pytest.mark.parametrize("engine", ENGINES)
def test_many_chunks_match_pandas(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratings, "_SLICE", 1_001)  # duplicates looked for over many slices
    rng = np.random.default_rng(5)
    n = 30_000
    frame = pd.DataFrame(
        {
            "userId": rng.integers(1, 400, n),
            "movieId": rng.integers(1, 60, n),
            "rating": rng.integers(1, 11, n) / 2,
            "timestamp": rng.integers(0, 50, n),  # many ties on purpose
        }
    )
    frame.to_csv(tmp_path / "ratings.csv", index=False)
    links = pd.DataFrame({"movieId": np.arange(1, 50), "tmdbId": np.arange(1, 50) * 10})
    links.to_csv(tmp_path / "links.csv", index=False)
    catalogue = np.arange(48, 0, -1) * 10  # tmdb 490 is linked but outside the catalogue

    result = read_ratings(
        tmp_path / "ratings.csv", tmp_path / "links.csv", catalogue, 1_000, engine=engine
    )

    column = {tmdb: j for j, tmdb in enumerate(catalogue.tolist())}
    frame["item"] = (frame["movieId"] * 10).map(column)
    mapped = frame.dropna(subset=["item"]).reset_index(names="line")
    latest = mapped.sort_values(["timestamp", "line"]).drop_duplicates(
        ["userId", "item"], keep="last"
    )
    users = np.sort(latest["userId"].unique())
    expected = np.zeros((len(users), len(catalogue)), dtype=np.float32)
    expected[np.searchsorted(users, latest["userId"]), latest["item"].astype(int)] = latest[
        "rating"
    ]
    assert result.rows_read == n
    assert result.unmapped == n - len(mapped)
    assert result.duplicates == len(mapped) - len(latest)
    assert result.user_ids.tolist() == users.tolist()
    assert np.array_equal(result.matrix.toarray(), expected)


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_input_is_a_clear_error(tmp_path: Path, engine: Engine) -> None:
    links = _write(tmp_path, "links.csv", LINKS)
    no_rating = _write(tmp_path, "a.csv", "userId,movieId,timestamp\n1,1,5\n")
    empty_cell = _write(tmp_path, "b.csv", "userId,movieId,rating,timestamp\n1,1,,5\n")

    with pytest.raises(ValueError, match="rating"):
        read_ratings(no_rating, links, CATALOGUE, engine=engine)
    with pytest.raises(ValueError, match="empty rating"):
        read_ratings(empty_cell, links, CATALOGUE, engine=engine)
    with pytest.raises(ValueError, match="unique"):
        read_ratings(_write(tmp_path, "c.csv", RATINGS), links, [862, 862])

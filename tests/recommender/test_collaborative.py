"""The collaborative signal on hand-made ratings: reading streaming files, likes, the score's formula."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommender import collaborative

HEADER = "userId,rating,timestamp,movieId\n"


def _write(path: Path, rows: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(HEADER + rows)
    else:
        path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_streaming_ratings_map_ids_keep_the_latest_and_count_unknowns(tmp_path: Path) -> None:
    folder = tmp_path / "streaming" / "ratings"
    _write(folder / "1.csv", "7,4.5,100,NS1\n7,2.0,50,ns1\n8,5.0,10,as3\n9,3.0,10,zz9\n")
    _write(folder / "2.csv.gz", "8,1.0,5,ns1\n")
    files = collaborative.streaming_ratings_files(tmp_path)
    assert [p.name for p in files] == ["1.csv", "2.csv.gz"]
    read = collaborative.read_streaming_ratings(files, ["ns1", "as3", "hs2"])
    assert read.rows_read == 5
    assert read.unmapped == 1  # zz9 is not in the catalogue
    assert read.duplicates == 1  # user 7 rated ns1 twice: the later (4.5) wins
    assert read.user_ids.tolist() == [7, 8]
    assert read.matrix.toarray().tolist() == [[4.5, 0.0, 0.0], [1.0, 5.0, 0.0]]
    likes = collaborative.likes_from(read)
    assert likes.matrix.toarray().tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert likes.ratings_kept == 2


def test_no_raw_streaming_ratings_means_content_only(tmp_path: Path) -> None:
    files = collaborative.source_files(tmp_path, "streaming")
    assert files == []
    assert collaborative.likes_of(files, "streaming", ["ns1"]) is None
    assert collaborative.source_files(None, "movies") == []


def _signal(beta: float, shrinkage: float = 0.0) -> collaborative.ItemSignal:
    # Users x titles: title 0 and 1 are liked together by two users; title 2 is liked by everyone.
    m = np.array([[1, 1, 1], [1, 1, 1], [0, 0, 1], [0, 0, 1]], dtype=np.float32)
    likes = collaborative.Likes(sp.csr_matrix(m), np.arange(4, dtype=np.int64), 12, 8)
    params = collaborative.CollabParams(beta=beta, shrinkage=shrinkage, user_power=0.0)
    return collaborative.ItemSignal(likes, 3, params)


def test_beta_half_is_the_cosine_and_lower_beta_favours_liked_titles() -> None:
    cosine = _signal(0.5).rows(0, 3)
    assert cosine[0, 1] == pytest.approx(1.0)  # same two users
    assert cosine[0, 2] == pytest.approx(2 / np.sqrt(2 * 4))
    conditional = _signal(0.0).rows(0, 3)  # co(i, j) / likes(i): P(j liked | i liked)
    assert conditional[0, 2] == pytest.approx(1.0)
    assert conditional[0, 2] > cosine[0, 2]


def test_shrinkage_damps_titles_liked_by_few() -> None:
    plain = _signal(0.5).rows(0, 3)
    damped = _signal(0.5, shrinkage=2.0).rows(0, 3)
    assert damped[0, 1] == pytest.approx(plain[0, 1] * 2 / (2 + 2))
    assert damped[0, 2] == pytest.approx(plain[0, 2] * 4 / (4 + 2))

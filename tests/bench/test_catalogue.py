"""The full-scale catalogue generator: raw layout, quirks of the original, determinism."""

from __future__ import annotations

import ast
import csv
import gzip
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from bench.catalogue import generate_data_dir, generate_movies, iter_rows
from tests.support.raw import MOVIE_HEADER

CAST_KEYS = ["cast_id", "character", "credit_id", "gender", "id", "name", "order", "profile_path"]
CREW_KEYS = ["credit_id", "department", "gender", "id", "job", "name", "profile_path"]
ROWS = 400


@pytest.fixture(scope="module")
def generated(raw_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    return generate_data_dir(raw_data_dir, out, n_rows=ROWS, seed=3)


def _sample_directors(raw_data_dir: Path) -> set[str]:
    with gzip.open(
        raw_data_dir / "movies" / "credits.csv.gz", "rt", encoding="utf-8", newline=""
    ) as f:
        return {
            d["name"]
            for rec in csv.DictReader(f)
            for d in ast.literal_eval(rec["crew"])
            if d["job"] == "Director"
        }


def test_movies_file_has_the_originals_quirks(generated: Path) -> None:
    records = list(iter_rows(generated / "movies" / "movies_dataset.csv"))
    header, rows = records[0], records[1:]

    assert tuple(header) == MOVIE_HEADER
    assert len(rows) == ROWS
    broken = [k for k, r in enumerate(rows) if not r[5].isdigit()]
    assert len(broken) == 3
    for k in broken:
        second, first = rows[k], rows[k - 1]
        # The first line stops after the overview's head; its id is a valid integer.
        assert len(first) == 10
        assert first[5].isdigit()
        # The second carries the 14 fields after overview, 9 columns to the left.
        assert len(second) == 15
        assert second[0].startswith(" - Written by ")
        assert re.fullmatch(r"\d+\.\d+(e-\d+)?", second[1])  # popularity in belongs_to_collection
        assert re.fullmatch(r"/\w{27}\.jpg", second[2])  # poster path in budget
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", second[5])  # release date in id
        assert second[3].startswith("[")  # production companies in genres
    ids = Counter(r[5] for r in rows if r[5].isdigit())
    assert sum(c - 1 for c in ids.values()) == 1  # round(400 * 30 / 45,466) = 0 -> at least 1
    titles = Counter(r[20] for r in rows if len(r) == len(MOVIE_HEADER))
    assert all(t for t in titles)


def test_credits_have_every_key_of_the_original_in_order(
    generated: Path, raw_data_dir: Path
) -> None:
    with (generated / "movies" / "credits.csv").open(encoding="utf-8", newline="") as f:
        credits = list(csv.DictReader(f))
    movie_ids = [r[5] for r in list(iter_rows(generated / "movies" / "movies_dataset.csv"))[1:]]

    assert [c["id"] for c in credits] == [i for i in movie_ids if i.isdigit()]
    cast_lengths, directors = [], set()
    for rec in credits:
        cast, crew = ast.literal_eval(rec["cast"]), ast.literal_eval(rec["crew"])
        cast_lengths.append(len(cast))
        assert all(list(d) == CAST_KEYS for d in cast)
        assert all(list(d) == CREW_KEYS for d in crew)
        assert [d["order"] for d in cast] == list(range(len(cast)))
        directors |= {d["name"] for d in crew if d["job"] == "Director"}
    assert directors <= _sample_directors(raw_data_dir)
    assert 8 < sum(cast_lengths) / len(cast_lengths) < 18
    text = (generated / "movies" / "credits.csv").read_text(encoding="utf-8")
    assert "\\'" in text  # a character with both quote kinds: repr escapes the apostrophe


def test_keywords_and_streaming_beside_movies(generated: Path, raw_data_dir: Path) -> None:
    with (generated / "movies" / "keywords.csv").open(encoding="utf-8", newline="") as f:
        keywords = list(csv.DictReader(f))
    assert len(keywords) == ROWS - 3
    assert all(isinstance(ast.literal_eval(k["keywords"]), list) for k in keywords)
    assert (generated / "streaming").resolve() == (raw_data_dir / "streaming").resolve()


def test_same_seed_same_bytes_and_reuse(
    raw_data_dir: Path, tmp_path: Path, generated: Path
) -> None:
    again = generate_movies(raw_data_dir, tmp_path / "a", n_rows=ROWS, seed=3)
    other = generate_movies(raw_data_dir, tmp_path / "b", n_rows=ROWS, seed=4)
    for name in ("movies_dataset.csv", "credits.csv", "keywords.csv"):
        assert (again / name).read_bytes() == (generated / "movies" / name).read_bytes()
    assert (other / "credits.csv").read_bytes() != (again / "credits.csv").read_bytes()

    mtime = (again / "credits.csv").stat().st_mtime_ns
    generate_movies(raw_data_dir, tmp_path / "a", n_rows=ROWS, seed=3)
    assert (again / "credits.csv").stat().st_mtime_ns == mtime


def test_pandas_reads_the_broken_rows_like_the_original(generated: Path) -> None:
    path = generated / "movies" / "movies_dataset.csv"
    frame = pd.read_csv(io.StringIO(path.read_text(encoding="utf-8")), dtype=str)
    bad = frame[~frame["id"].str.fullmatch(r"\d+")]
    assert len(frame) == ROWS
    assert len(bad) == 3
    assert bad["revenue"].isna().all()
    assert bad["budget"].str.endswith(".jpg").all()

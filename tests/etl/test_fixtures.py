"""The ETL on small hand-written raw files: malformed rows, long credits, CRLF/U+2028, ratings."""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import read_manifest
from etl import movies as movies_module
from etl.config import Settings
from etl.pipeline import run_edition
from etl.raw import InputError

from .conftest import write_csv, write_movies_raw, write_streaming_raw


def _rows(path: Path) -> dict[Any, dict[str, Any]]:
    table = pq.read_table(path)
    return {row["id"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def movies_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_movies_raw(tmp_path_factory.mktemp("raw"))
    out = tmp_path_factory.mktemp("processed")
    run_edition("movies", Settings(data_dir=root, processed_dir=out, top_cast=5))
    return out


def test_malformed_duplicate_and_undated_rows_are_dropped_and_counted(movies_out: Path) -> None:
    manifest = read_manifest(movies_out, "movies")
    assert manifest["rows_in"] == 13
    assert manifest["rejected"] == {
        "invalid_id": 3,
        "malformed_row": 1,
        "duplicate_id": 1,
        "missing_release_date": 1,
        "invalid_release_date": 2,
    }
    assert manifest["rows_out"] == 13 - 8
    movies = _rows(movies_out / "movies" / "movies.parquet")
    assert sorted(movies) == [862, 1001, 1005, 1006, 8844]
    assert movies[8844]["title"] == "Jumanji"  # the first of the duplicated id wins


def test_money_and_return_are_never_nan_or_inf(movies_out: Path) -> None:
    movies = _rows(movies_out / "movies" / "movies.parquet")
    assert movies[862]["return"] == pytest.approx(373554033 / 30000000)
    assert movies[8844]["revenue"] == 0.0  # empty revenue
    assert movies[1001]["return"] == 0.0  # revenue without budget
    assert (movies[1005]["budget"], movies[1005]["revenue"], movies[1005]["return"]) == (
        0.0,
        0.0,
        0.0,
    )
    assert all(math.isfinite(row["return"]) for row in movies.values())
    fixes = read_manifest(movies_out, "movies")["fixes"]
    assert fixes["budget_not_numeric"] == 1
    assert fixes["revenue_not_numeric"] == 1  # "nan"


def test_nested_columns_and_dates(movies_out: Path) -> None:
    movies = _rows(movies_out / "movies" / "movies.parquet")
    toy = movies[862]
    assert (toy["collection_id"], toy["collection_name"]) == (10194, "Toy Story Collection")
    assert toy["genres"] == ["Animation", "Comedy"]
    assert toy["production_companies"] == ["Pixar Animation Studios"]
    assert toy["production_countries"] == ["United States of America"]
    assert toy["production_country_codes"] == ["US"]
    assert toy["spoken_languages"] == ["en"]
    assert toy["release_date"] == dt.date(1995, 10, 30)
    assert (toy["release_year"], toy["release_month"], toy["release_weekday"]) == (1995, 10, 0)
    assert movies[1005]["production_companies"] == ['Lucky Red\'s "Best"']
    assert movies[1005]["genres"] == []  # truncated cell: counted, not guessed
    assert read_manifest(movies_out, "movies")["fixes"]["unparseable_genres"] == 1
    assert movies[1006]["title"] == "Titre original"  # empty title falls back to original_title
    assert movies[8844]["collection_id"] is None


def test_long_credits_with_full_key_sets(movies_out: Path) -> None:
    movies = _rows(movies_out / "movies" / "movies.parquet")
    assert movies[862]["cast"] == ["Actor 00", "Actor 01", "Actor 02", "Conan O'Brien", "Actor 04"]
    assert movies[862]["directors"] == ["John Lasseter", "Ash Brannon"]
    assert movies[1001]["cast"] == ["Actor 00", "Actor 01", "Actor 02"]
    assert movies[1001]["directors"] == []
    assert movies[8844]["cast"] == []
    assert movies[8844]["directors"] == []
    assert movies[1005]["cast"] == []
    assert all(row["keywords"] == [] for row in movies.values())  # no keywords file
    fixes = read_manifest(movies_out, "movies")["fixes"]
    assert fixes["unparseable_cast"] == 1
    assert fixes["credits_duplicate_id"] == 1
    assert fixes["movies_without_credits"] == 2


def test_published_table_drops_columns_the_features_table_keeps(movies_out: Path) -> None:
    names = pq.read_schema(movies_out / "movies" / "movies.parquet").names
    for dropped in (
        "video",
        "imdb_id",
        "adult",
        "original_title",
        "vote_count",
        "poster_path",
        "homepage",
    ):
        assert dropped not in names
    features = pq.read_table(movies_out / "movies" / "movie_features.parquet")
    assert features.schema.names == ["id", "vote_count", "imdb_id"]
    assert features.num_rows == 5


@pytest.fixture(scope="module")
def streaming_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_streaming_raw(tmp_path_factory.mktemp("raw"))
    out = tmp_path_factory.mktemp("processed")
    run_edition("streaming", Settings(data_dir=root, processed_dir=out))
    return out


def test_streaming_quirks(streaming_out: Path) -> None:
    titles = _rows(streaming_out / "streaming" / "titles.parquet")
    assert sorted(titles) == ["as1", "as2", "ds1", "hs1", "hs2", "ns2", "ns5542"]
    first = titles["as1"]
    assert first["title"] == "line\r\nbreak story"  # CRLF inside a quoted field survives
    assert first["description"] == "first line.\r\nsecond line, with \u2028 separator."
    assert first["cast"] == ["christina ricci", "david hoflin"]
    assert (first["platform"], first["show_id"], first["type"]) == ("amazon", "s1", "tv show")
    assert first["rating"] == "g"
    assert first["date_added"] is None
    assert (first["duration_int"], first["duration_type"]) == (1, "season")
    assert titles["as2"]["cast"] == []  # placeholder cast "1, 2, 3"
    assert (titles["as2"]["duration_int"], titles["as2"]["duration_type"]) == (2, "season")
    assert titles["ds1"]["director"] == ["chris buck", "jennifer lee"]

    louis = titles["ns5542"]
    assert (louis["duration_int"], louis["duration_type"], louis["rating"]) == (74, "min", "g")
    assert louis["date_added"] == dt.date(2017, 4, 4)  # leading space in the raw value
    assert louis["listed_in"] == ["movies", "stand-up comedy"]
    assert louis["country"] == ["united states", "france"]
    assert (titles["hs1"]["duration_int"], titles["hs1"]["duration_type"]) == (2, "season")
    assert titles["hs2"]["duration_int"] is None
    assert titles["hs2"]["rating"] == "g"

    manifest = read_manifest(streaming_out, "streaming")
    assert manifest["fixes"]["duration_moved_from_rating"] == 2
    assert manifest["fixes"]["rating_missing_set_g"] == 4
    assert manifest["rows_by_platform"] == {"amazon": 2, "disney": 1, "hulu": 2, "netflix": 2}


def test_display_copies_keep_the_original_spelling(streaming_out: Path) -> None:
    titles = _rows(streaming_out / "streaming" / "titles.parquet")
    louis = titles["ns5542"]
    assert (louis["title"], louis["title_display"]) == ("louis c.k. 2017", "Louis C.K. 2017")
    assert louis["listed_in_display"] == ["Movies", "Stand-Up Comedy"]
    assert louis["country_display"] == ["United States", "France"]  # same splitting as `country`
    assert titles["ds1"]["director_display"] == ["Chris Buck", "Jennifer Lee"]
    assert titles["ds1"]["description_display"] == "A description."
    assert titles["as2"]["cast_display"] == []  # placeholder cast "1, 2, 3", dropped as in `cast`
    for row in titles.values():
        assert row["title"] == row["title_display"].lower()
        assert row["cast"] == [name.lower() for name in row["cast_display"]]


def test_raw_ratings_are_aggregated_to_mean_and_count(streaming_out: Path) -> None:
    titles = _rows(streaming_out / "streaming" / "titles.parquet")
    assert titles["ns5542"]["score_mean"] == pytest.approx((4.0 + 3.0 + 2.5) / 3)
    assert titles["ns5542"]["score_count"] == 3
    assert (titles["ds1"]["score_mean"], titles["ds1"]["score_count"]) == (5.0, 1)
    assert titles["as1"]["score_mean"] is None
    assert titles["as1"]["score_count"] is None


def test_streaming_schema_is_typed(streaming_out: Path) -> None:
    schema = pq.read_schema(streaming_out / "streaming" / "titles.parquet")
    assert schema.field("cast").type == pa.list_(pa.string())
    assert schema.field("date_added").type == pa.date32()
    assert schema.field("duration_int").type == pa.int32()
    assert schema.field("score_count").type == pa.int64()


@pytest.fixture
def credits_in_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even the small fixture credits file to the worker process."""
    monkeypatch.setattr(movies_module, "PARALLEL_CREDITS_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.mark.usefixtures("credits_in_worker")
def test_credits_worker_process_gives_the_same_tables(movies_out: Path, tmp_path: Path) -> None:
    root = write_movies_raw(tmp_path / "raw")
    out = tmp_path / "processed"
    run_edition("movies", Settings(data_dir=root, processed_dir=out, top_cast=5))
    for name in ("movies.parquet", "movie_features.parquet"):
        assert pq.read_table(out / "movies" / name).equals(
            pq.read_table(movies_out / "movies" / name)
        )
    assert read_manifest(out, "movies")["fixes"] == read_manifest(movies_out, "movies")["fixes"]


@pytest.mark.usefixtures("credits_in_worker")
def test_credits_worker_logs_under_its_own_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.INFO)  # the child logs at the parent's level, to the same stdout
    root = write_movies_raw(tmp_path / "raw")
    run_edition("movies", Settings(data_dir=root, processed_dir=tmp_path / "out"))
    assert "etl.credits_worker: movies: parsed credits" in capfd.readouterr().out


@pytest.mark.usefixtures("credits_in_worker")
def test_credits_worker_reports_input_errors(tmp_path: Path) -> None:
    root = write_movies_raw(tmp_path / "raw")
    credits = write_csv(root / "movies" / "credits.csv.gz", ["cast", "id"], [["[]", "862"]])
    with pytest.raises(InputError) as caught:
        run_edition("movies", Settings(data_dir=root, processed_dir=tmp_path / "out"))
    assert str(caught.value) == f"{credits}: missing column(s) crew"


@pytest.mark.usefixtures("credits_in_worker")
def test_credits_worker_is_stopped_when_the_movies_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = write_movies_raw(tmp_path / "raw")
    movies_file = write_csv(root / "movies" / "movies_metadata.csv", ["id", "title"], [["1", "x"]])
    with pytest.raises(InputError) as caught:
        run_edition("movies", Settings(data_dir=root, processed_dir=tmp_path / "out"))
    assert str(caught.value).startswith(f"{movies_file}: missing column(s)")
    assert list(scratch.iterdir()) == []  # the worker's result file is gone

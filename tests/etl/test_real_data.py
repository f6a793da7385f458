"""The ETL output of the real shared data, checked against the raw-data oracle (tests.support.raw)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import PLATFORMS, read_manifest
from tests.support.raw import RawMovies, RawTitle, csv_rows


@pytest.fixture(scope="module")
def movies(processed_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(processed_dir / "movies" / "movies.parquet")


@pytest.fixture(scope="module")
def titles(processed_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(processed_dir / "streaming" / "titles.parquet")


def test_movie_counts_match_the_oracle(raw_movies_file: RawMovies, processed_dir: Path) -> None:
    raw = raw_movies_file
    manifest = read_manifest(processed_dir, "movies")
    assert manifest["rows_in"] == raw.rows_in == 5000
    assert manifest["rejected"] == dict(raw.rejected)
    assert manifest["rows_out"] == len(raw.kept)
    assert raw.rejected["duplicate_id"] == 1  # id 105045, as the data README says


def test_toy_story(movies: pd.DataFrame) -> None:
    toy = movies.set_index("id").loc[862]
    assert toy["title"] == "Toy Story"
    assert toy["collection_name"] == "Toy Story Collection"
    assert list(toy["directors"]) == ["John Lasseter"]
    assert list(toy["genres"]) == ["Animation", "Comedy", "Family"]
    assert list(toy["cast"]) == ["Tom Hanks", "Tim Allen", "Don Rickles"]
    assert "toy comes to life" in list(toy["keywords"])
    assert toy["release_date"] == dt.date(1995, 10, 30)
    assert toy["return"] == pytest.approx(373554033 / 30000000)


def test_movie_values_are_clean(movies: pd.DataFrame, raw_data_dir: Path) -> None:
    assert movies["id"].is_unique
    assert all(math.isfinite(value) for value in movies["return"])
    assert (movies.loc[movies["budget"] == 0, "return"] == 0).all()
    assert movies["release_month"].between(1, 12).all()
    assert movies["release_weekday"].between(0, 6).all()
    # every movie with a Director in the raw credits has it in the table
    credits = csv_rows(raw_data_dir / "movies" / "credits.csv.gz")
    with_director = {int(row["id"]) for row in credits if "'job': 'Director'" in row["crew"]}
    has_director = set(movies.loc[movies["directors"].map(len) > 0, "id"])
    assert has_director == with_director & set(movies["id"])


def test_streaming_counts_per_platform(
    processed_dir: Path, titles: pd.DataFrame, raw_platforms: dict[str, list[dict[str, str]]]
) -> None:
    assert len(titles) == sum(len(rows) for rows in raw_platforms.values()) == 22998
    assert titles["id"].is_unique
    out_movies = titles[titles["type"] == "movie"].groupby("platform").size().to_dict()
    raw_movies = {
        p: sum(row["type"] == "Movie" for row in rows) for p, rows in raw_platforms.items()
    }
    assert out_movies == raw_movies
    manifest = read_manifest(processed_dir, "streaming")
    assert manifest["rows_by_platform"] == {p: len(rows) for p, rows in raw_platforms.items()}
    assert set(titles["platform"]) == set(PLATFORMS)


def test_duration_moved_from_rating_is_counted(
    processed_dir: Path, titles: pd.DataFrame, raw_titles: list[RawTitle]
) -> None:
    moved = {title.id for title in raw_titles if title.duration_in_rating}
    assert len(moved) == 295  # the figure the issue quotes
    manifest = read_manifest(processed_dir, "streaming")
    assert manifest["fixes"]["duration_moved_from_rating"] == len(moved)
    rows = titles[titles["id"].isin(moved)]
    assert (rows["rating"] == "g").all()
    assert rows["duration_int"].notna().all()
    no_rating = sum(title.rating == "" for title in raw_titles)  # missing, or moved out
    assert manifest["fixes"]["rating_missing_set_g"] == no_rating


def test_streaming_spot_checks(
    titles: pd.DataFrame, raw_platforms: dict[str, list[dict[str, str]]]
) -> None:
    by_id = titles.set_index("id")
    louis = by_id.loc["ns5542"]
    assert (louis["duration_int"], louis["duration_type"], louis["rating"]) == (74, "min", "g")
    text_columns = ["type", "title", "rating", "description", "platform", "duration_type"]
    for column in text_columns:
        values = titles[column].dropna()
        assert (values == values.str.lower()).all(), column
    for column in ("cast", "director", "country", "listed_in"):
        items = [item for items in titles[column] for item in items]
        assert all(item == item.lower() and item == item.strip() and item for item in items), column
        assert not any(item.isdigit() for item in items), column
    assert set(titles["duration_type"].dropna()) == {"min", "season"}
    # date_added: every non-empty raw value is parsed (leading spaces included)
    raw_dates = {
        p[0] + row["show_id"]: dt.datetime.strptime(row["date_added"].strip(), "%B %d, %Y").date()
        for p, rows in raw_platforms.items()
        for row in rows
        if row["date_added"].strip()
    }
    parsed = by_id["date_added"].dropna()
    assert parsed.to_dict() == raw_dates
    # amazon s28 holds a U+2028 inside a quoted field: the row stays whole
    s28 = next(row for row in raw_platforms["amazon"] if row["show_id"] == "s28")
    assert "\u2028" in s28["cast"]
    assert by_id.loc["as28", "description"] == s28["description"].lower()


def test_scores_come_from_the_ratings_file(
    raw_scores: dict[str, float], titles: pd.DataFrame
) -> None:
    assert titles.set_index("id")["score_mean"].to_dict() == raw_scores
    assert titles["score_count"].isna().all()  # the derived file has no counts


def test_parquet_types(processed_dir: Path) -> None:
    schema = pq.read_schema(processed_dir / "movies" / "movies.parquet")
    assert str(schema.field("genres").type) == "list<element: string>"
    assert str(schema.field("release_date").type) == "date32[day]"
    assert str(schema.field("release_year").type) == "int32"
    counts = Counter(
        str(f.type) for f in pq.read_schema(processed_dir / "streaming" / "titles.parquet")
    )
    # director, cast, country, listed_in and their *_display copies in the original spelling
    assert counts["list<element: string>"] == 8


def test_credits_agree_with_the_independent_derived_file(
    raw_data_dir: Path, movies: pd.DataFrame
) -> None:
    """derived/credits_top3_director_first5000rows has, per movie, the top-3 cast and the director
    from the original credits file; the ETL reads the raw-layout credits and must agree."""
    derived = pd.read_csv(
        raw_data_dir / "movies" / "derived" / "credits_top3_director_first5000rows.csv.gz",
        dtype=str,
        keep_default_na=False,
    ).drop_duplicates("id")
    by_id = movies.set_index("id")
    derived = derived[derived["id"].astype("int64").isin(by_id.index)]
    assert len(derived) == len(movies)
    for movie_id, top_cast, director in derived[["id", "top_cast", "director"]].itertuples(
        index=False
    ):
        row = by_id.loc[int(movie_id)]
        assert list(row["cast"]) == [n.strip() for n in top_cast.split(",") if n.strip()], movie_id
        assert list(row["directors"]) == ([director.strip()] if director.strip() else []), movie_id

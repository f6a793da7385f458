"""The naive movies ETL the usual notebooks run: pandas.read_csv, ast.literal_eval on every nested cell.

It applies the same row rules as ``etl.movies`` (drop non-integer and duplicate ids, drop missing or
invalid release dates, budget/revenue missing -> 0, return = revenue / budget or 0) and produces the
same columns, so that the benchmark compares two programs doing the same job.
"""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

NESTED = ("genres", "production_companies", "production_countries", "spoken_languages")


def _names(cell: Any, key: str = "name") -> list[str]:
    if not isinstance(cell, str):
        return []
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return []
    return (
        [str(d[key]) for d in value if isinstance(d, dict) and key in d]
        if isinstance(value, list)
        else []
    )


def _collection(cell: Any) -> tuple[float, str | None]:
    if not isinstance(cell, str):
        return (np.nan, None)
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return (np.nan, None)
    if not isinstance(value, dict):
        return (np.nan, None)
    return (float(value.get("id", np.nan)), value.get("name"))


def _step(started: float, message: str) -> None:
    print(
        f"baseline: {message} ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True
    )


def run(movies_dir: Path, out_dir: Path, top_cast: int = 5) -> tuple[int, int]:
    """Build ``out_dir/movies.parquet`` the notebook way; return (rows in, rows out)."""
    started = time.perf_counter()
    df = pd.read_csv(movies_dir / "movies_dataset.csv", low_memory=False)
    rows_in = len(df)
    _step(started, f"read movies_dataset.csv ({rows_in:,} rows)")
    df = df[df["id"].astype(str).str.fullmatch(r"\d+")].copy()
    df["id"] = df["id"].astype("int64")
    df = df.drop_duplicates("id")
    df["release_date"] = pd.to_datetime(df["release_date"], format="%Y-%m-%d", errors="coerce")
    df = df.dropna(subset=["release_date"])
    for col in ("budget", "revenue"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0.0)
    df["return"] = np.where(
        df["budget"] > 0, df["revenue"] / df["budget"].where(df["budget"] > 0, 1), 0.0
    )
    df["release_year"] = df["release_date"].dt.year
    df["release_month"] = df["release_date"].dt.month
    df["release_weekday"] = df["release_date"].dt.weekday
    df["production_country_codes"] = df["production_countries"].apply(_names, key="iso_3166_1")
    for col in NESTED:
        key = "iso_639_1" if col == "spoken_languages" else "name"
        df[col] = df[col].apply(_names, key=key)
    collections = df["belongs_to_collection"].apply(_collection)
    df["collection_id"] = [c[0] for c in collections]
    df["collection_name"] = [c[1] for c in collections]
    df = df.drop(
        columns=[
            "video",
            "imdb_id",
            "adult",
            "original_title",
            "vote_count",
            "poster_path",
            "homepage",
            "belongs_to_collection",
        ]
    )
    _step(started, f"cleaned and unnested movies ({len(df):,} rows)")

    credits = pd.read_csv(movies_dir / "credits.csv")
    _step(started, f"read credits.csv ({len(credits):,} rows)")
    credits["cast"] = credits["cast"].apply(ast.literal_eval)
    credits["crew"] = credits["crew"].apply(ast.literal_eval)
    _step(started, "literal_eval of cast and crew")
    credits["directors"] = credits["crew"].apply(
        lambda crew: [d["name"] for d in crew if d.get("job") == "Director"]
    )
    credits["cast"] = credits["cast"].apply(
        lambda cast: [d["name"] for d in sorted(cast, key=lambda d: d["order"])][:top_cast]
    )
    credits = credits.drop(columns=["crew"]).drop_duplicates("id")

    keywords = pd.read_csv(movies_dir / "keywords.csv")
    keywords["keywords"] = keywords["keywords"].apply(_names)
    keywords = keywords.drop_duplicates("id")
    _step(started, "keywords")

    df = df.merge(credits, on="id", how="left").merge(keywords, on="id", how="left")
    for col in ("cast", "directors", "keywords"):
        df[col] = df[col].apply(lambda v: v if isinstance(v, list) else [])
    out_dir.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out_dir / "movies.parquet", index=False)
    _step(started, f"wrote movies.parquet ({len(df):,} rows)")
    return rows_in, len(df)

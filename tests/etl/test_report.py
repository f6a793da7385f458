"""The EDA report: one self-contained HTML file per edition with a plot per section."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import MANIFEST, MOVIES_TABLE, REPORT, STREAMING_TABLE
from etl.report import write_report
from etl.report.movies import MONTHS, WEEKDAYS

MOVIE_SECTIONS = (
    "Estrenos por año",
    "Estrenos por mes",
    "Estrenos por día de la semana",
    "Presupuesto y recaudación",
    "Distribución del retorno",
    "Géneros más frecuentes",
    "Países de producción más frecuentes",
    "Productoras más frecuentes",
    "Colecciones más frecuentes",
    "Valores faltantes por columna",
)
STREAMING_SECTIONS = (
    "Títulos por plataforma y tipo",
    "Duraciones",
    "Clasificaciones por edad",
    "Países más frecuentes",
    "Estrenos por año",
    "Géneros más frecuentes (listed_in)",
    "Distribución del puntaje (score_mean)",
    "Valores faltantes por columna",
)
ETL_RUN = "Ejecución del ETL: filas y rechazos"

_STR_LIST = pa.list_(pa.string())


def _movies_table(n: int) -> pa.Table:
    """A contract-shaped movies table with known values: 3 in 4 films have a budget."""
    rng = np.random.default_rng(7)
    dates = [dt.date(1950, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 25_000, n)]
    budget = np.where(np.arange(n) % 4 == 0, 0.0, rng.integers(1, 200, n) * 1e6)
    budget[1] = 1.0  # a placeholder budget: return is an outlier
    revenue = np.where(np.arange(n) % 3 == 0, 0.0, rng.integers(1, 900, n) * 1e6)
    ret = np.divide(revenue, budget, out=np.zeros(n), where=budget > 0)
    genres = ["Drama", "Comedy", "Thriller", "Science Fiction", "动画"]
    return pa.table(
        {
            "id": pa.array(np.arange(1, n + 1), pa.int64()),
            "title": [f"Film {i}" for i in range(n)],
            "overview": [None if i % 10 == 0 else f"about {i}" for i in range(n)],
            "tagline": [None if i % 2 else "a tagline" for i in range(n)],
            "original_language": ["en"] * n,
            "status": ["Released"] * n,
            "popularity": rng.random(n) * 10,
            "runtime": pa.array([None if i % 7 == 0 else 90.0 for i in range(n)], pa.float64()),
            "vote_average": rng.random(n) * 10,
            "budget": budget,
            "revenue": revenue,
            "return": ret,
            "release_date": pa.array(dates, pa.date32()),
            "release_year": pa.array([d.year for d in dates], pa.int32()),
            "release_month": pa.array([d.month for d in dates], pa.int8()),
            "release_weekday": pa.array([d.weekday() for d in dates], pa.int8()),
            "collection_id": pa.array([10 if i % 5 == 0 else None for i in range(n)], pa.int64()),
            "collection_name": [f"Saga {i % 3}" if i % 5 == 0 else None for i in range(n)],
            "genres": pa.array([[genres[i % 5], genres[(i + 1) % 5]] for i in range(n)], _STR_LIST),
            "production_companies": pa.array(
                [[] if i % 6 == 0 else [f"Studio {i % 30}"] for i in range(n)], _STR_LIST
            ),
            "production_countries": pa.array(
                [["United States of America"] if i % 2 else ["France"] for i in range(n)],
                _STR_LIST,
            ),
            "production_country_codes": pa.array(
                [["US"] if i % 2 else ["FR"] for i in range(n)], _STR_LIST
            ),
            "spoken_languages": pa.array([["en"]] * n, _STR_LIST),
            "directors": pa.array([[f"Director {i % 40}"] for i in range(n)], _STR_LIST),
            "cast": pa.array([[f"Actor {i % 50}", f"Actor {i % 17}"] for i in range(n)], _STR_LIST),
            "keywords": pa.array([[] if i % 4 else ["friendship"] for i in range(n)], _STR_LIST),
        }
    )


def _streaming_table(n: int) -> pa.Table:
    """A contract-shaped streaming table: platforms cycle, every third title is a tv show."""
    platforms = ["amazon", "disney", "hulu", "netflix"]
    show = [i % 3 == 0 for i in range(n)]
    return pa.table(
        {
            "id": [f"{platforms[i % 4][0]}s{i}" for i in range(n)],
            "platform": [platforms[i % 4] for i in range(n)],
            "show_id": [f"s{i}" for i in range(n)],
            "type": ["tv show" if s else "movie" for s in show],
            "title": [f"title {i}" for i in range(n)],
            "director": pa.array([[] if i % 2 else [f"director {i}"] for i in range(n)], _STR_LIST),
            "cast": pa.array([[f"actor {i % 9}"] for i in range(n)], _STR_LIST),
            "country": pa.array(
                [["united states"] if i % 3 else ["india", "united kingdom"] for i in range(n)],
                _STR_LIST,
            ),
            "date_added": pa.array(
                [None if i % 8 == 0 else dt.date(2015 + i % 6, 1 + i % 12, 1) for i in range(n)],
                pa.date32(),
            ),
            "release_year": pa.array([1990 + i % 32 for i in range(n)], pa.int32()),
            "rating": [("g", "tv-ma", "pg-13", "r")[i % 4] for i in range(n)],
            "duration_int": pa.array(
                [
                    None if i % 11 == 0 else (1 + i % 12 if s else 60 + i % 90)
                    for i, s in enumerate(show)
                ],
                pa.int32(),
            ),
            "duration_type": [
                None if i % 11 == 0 else ("season" if s else "min") for i, s in enumerate(show)
            ],
            "listed_in": pa.array(
                [["dramas", "comedies"][: 1 + i % 2] for i in range(n)], _STR_LIST
            ),
            "description": [f"description {i}" for i in range(n)],
            "score_mean": pa.array([3.3 + (i % 40) / 100 for i in range(n)], pa.float64()),
            "score_count": pa.array([None] * n, pa.int64()),
        }
    )


def _assert_self_contained(text: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.IGNORECASE)
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()


def _section(text: str, heading: str) -> str:
    """The HTML of the section under ``heading`` (up to the next section)."""
    start = text.index(f"<h2>{heading}</h2>")
    end = text.find("</section>", start)
    return text[start:end]


def test_movies_report_has_every_section_with_a_plot(tmp_path: Path) -> None:
    pq.write_table(_movies_table(400), tmp_path / MOVIES_TABLE)
    manifest = {
        "schema_version": 1,
        "data_version": "movies-abc123",
        "rows_in": 405,
        "rows_out": 400,
        "rejected": {"malformed_id": 3, "duplicate_id": 1, "invalid_release_date": 1},
    }

    path = write_report("movies", tmp_path, manifest=manifest)

    assert path == tmp_path / REPORT
    text = path.read_text(encoding="utf-8")
    _assert_self_contained(text)
    for heading in MOVIE_SECTIONS:
        assert '<img src="data:image/png;base64,' in _section(text, heading), heading
    assert text.count('<img src="data:image/png;base64,') == len(MOVIE_SECTIONS)
    assert "<td>películas</td><td>400</td>" in text
    assert "movies-abc123" in text
    etl_run = _section(text, ETL_RUN)
    assert "<td>malformed_id</td><td>3</td>" in etl_run
    assert "<td>duplicate_id</td><td>1</td>" in etl_run
    assert "<td>total</td><td>5</td>" in etl_run
    assert "<td>rows_in</td><td>405</td>" in etl_run
    # 100 of the 400 films have budget 0 (every 4th), so 300 have a budget.
    assert "<td>películas con presupuesto</td><td>300</td>" in text
    # production_companies is [] for every 6th film: 67 of 400.
    assert "<td>production_companies</td><td>0</td><td>67</td>" in text
    assert "Mayores retornos (valores atípicos)" in _section(text, "Distribución del retorno")


def test_movies_report_reads_the_manifest_beside_the_data(tmp_path: Path) -> None:
    pq.write_table(_movies_table(40), tmp_path / MOVIES_TABLE)
    manifest = {"data_version": "v-on-disk", "rejected": {"duplicate_id": 2}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    text = write_report("movies", tmp_path).read_text(encoding="utf-8")

    assert "v-on-disk" in text
    assert "<td>duplicate_id</td><td>2</td>" in text


def test_report_without_manifest_has_no_run_section(tmp_path: Path) -> None:
    pq.write_table(_movies_table(40), tmp_path / MOVIES_TABLE)

    text = write_report("movies", tmp_path).read_text(encoding="utf-8")

    assert "Ejecución del ETL" not in text
    assert text.count('<img src="data:image/png;base64,') == len(MOVIE_SECTIONS)


def test_streaming_report_has_every_section_with_a_plot(tmp_path: Path) -> None:
    pq.write_table(_streaming_table(240), tmp_path / STREAMING_TABLE)

    text = write_report("streaming", tmp_path).read_text(encoding="utf-8")

    _assert_self_contained(text)
    for heading in STREAMING_SECTIONS:
        assert '<img src="data:image/png;base64,' in _section(text, heading), heading
    assert "<td>títulos</td><td>240</td>" in text
    assert "<td>netflix</td><td>60 títulos</td>" in text
    # 240 titles, platforms cycle with period 4 and tv shows with period 3: 20 shows per platform.
    per_type = _section(text, "Títulos por plataforma y tipo")
    assert "<th>plataforma</th><th>película</th><th>serie</th>" in per_type
    assert "<td>hulu</td><td>40</td><td>20</td>" in per_type


def test_month_and_weekday_names_are_spanish() -> None:
    assert MONTHS[0] == "ene"
    assert WEEKDAYS == ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")


def test_unknown_edition_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown edition"):
        write_report("books", tmp_path)  # type: ignore[arg-type]


def test_reports_of_the_real_etl_output(processed_dir: Path) -> None:
    movies_dir, streaming_dir = processed_dir / "movies", processed_dir / "streaming"
    manifest = json.loads((movies_dir / MANIFEST).read_text(encoding="utf-8"))
    films = pq.read_metadata(movies_dir / MOVIES_TABLE).num_rows
    titles = pq.read_table(streaming_dir / STREAMING_TABLE, columns=["platform"])

    movies_text = (movies_dir / REPORT).read_text(encoding="utf-8")
    streaming_text = (streaming_dir / REPORT).read_text(encoding="utf-8")

    _assert_self_contained(movies_text)
    _assert_self_contained(streaming_text)
    for heading in MOVIE_SECTIONS:
        assert '<img src="data:image/png;base64,' in _section(movies_text, heading), heading
    for heading in STREAMING_SECTIONS:
        assert '<img src="data:image/png;base64,' in _section(streaming_text, heading), heading
    assert f"<td>películas</td><td>{films:,}</td>" in movies_text
    assert manifest["data_version"] in movies_text
    etl_run = _section(movies_text, ETL_RUN)
    for reason, rows in manifest["rejected"].items():
        assert f"<td>{reason}</td><td>{rows:,}</td>" in etl_run
    assert f"<td>títulos</td><td>{titles.num_rows:,}</td>" in streaming_text
    for platform, count in Counter(titles["platform"].to_pylist()).items():
        assert f"<td>{platform}</td><td>{count:,} títulos</td>" in streaming_text
    for text in (movies_text, streaming_text):
        assert '<html lang="es">' in text
        assert "<h2>Resumen</h2>" in text

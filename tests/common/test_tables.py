"""The processed-data schemas: the real ETL writes them, the readers check them, a drift fails clearly."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cinemateca_common import tables
from cinemateca_common.contract import MOVIE_FEATURES_TABLE, MOVIES_TABLE, STREAMING_TABLE


@pytest.mark.parametrize(
    ("edition", "name"),
    [("movies", MOVIES_TABLE), ("movies", MOVIE_FEATURES_TABLE), ("streaming", STREAMING_TABLE)],
)
def test_the_real_etl_writes_exactly_the_contract(
    processed_dir: Path, edition: str, name: str
) -> None:
    path = processed_dir / edition / name
    assert pq.read_schema(path).remove_metadata().equals(tables.SCHEMAS[name])
    tables.check(tables.SCHEMAS[name], path)  # and the readers' check accepts it


def test_a_retyped_or_missing_column_is_named(processed_dir: Path, tmp_path: Path) -> None:
    table = pq.read_table(processed_dir / "movies" / MOVIES_TABLE)
    drifted = table.set_column(
        table.schema.get_field_index("release_year"),
        "release_year",
        table.column("release_year").cast(pa.string()),
    ).drop_columns(["genres"])
    path = tmp_path / MOVIES_TABLE
    pq.write_table(drifted, path)
    with pytest.raises(tables.SchemaMismatchError) as caught:
        tables.check(tables.MOVIES_SCHEMA, path)
    message = str(caught.value)
    assert "release_year (int32, found string)" in message
    assert "genres (list<item: string>, found nothing)" in message
    assert "uv run etl all --force" in message

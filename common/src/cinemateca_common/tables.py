"""The Parquet schemas of the processed data: what the ETL writes and the services read (pyarrow).

One declaration per table, imported by the ETL to write and checked by the readers
(:func:`check`), so a column renamed or retyped on one side fails at once on the other. The tables'
meaning is in :mod:`cinemateca_common.contract`. Needs the ``data`` extra (pyarrow).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from cinemateca_common.contract import MOVIE_FEATURES_TABLE, MOVIES_TABLE, STREAMING_TABLE

_STR_LIST = pa.list_(pa.string())
MOVIES_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("title", pa.string()),
        ("overview", pa.string()),
        ("tagline", pa.string()),
        ("original_language", pa.string()),
        ("status", pa.string()),
        ("popularity", pa.float64()),
        ("runtime", pa.float64()),
        ("vote_average", pa.float64()),
        ("budget", pa.float64()),
        ("revenue", pa.float64()),
        ("return", pa.float64()),
        ("release_date", pa.date32()),
        ("release_year", pa.int32()),
        ("release_month", pa.int8()),
        ("release_weekday", pa.int8()),
        ("collection_id", pa.int64()),
        ("collection_name", pa.string()),
        ("genres", _STR_LIST),
        ("production_companies", _STR_LIST),
        ("production_countries", _STR_LIST),
        ("production_country_codes", _STR_LIST),
        ("spoken_languages", _STR_LIST),
        ("directors", _STR_LIST),
        ("cast", _STR_LIST),
        ("keywords", _STR_LIST),
    ]
)
MOVIE_FEATURES_SCHEMA = pa.schema(
    [("id", pa.int64()), ("vote_count", pa.float64()), ("imdb_id", pa.string())]
)
STREAMING_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("platform", pa.string()),
        ("show_id", pa.string()),
        ("type", pa.string()),
        ("title", pa.string()),
        ("director", _STR_LIST),
        ("cast", _STR_LIST),
        ("country", _STR_LIST),
        ("date_added", pa.date32()),
        ("release_year", pa.int32()),
        ("rating", pa.string()),
        ("duration_int", pa.int32()),
        ("duration_type", pa.string()),
        ("listed_in", _STR_LIST),
        ("description", pa.string()),
        ("score_mean", pa.float64()),
        ("score_count", pa.int64()),
        ("title_display", pa.string()),
        ("description_display", pa.string()),
        ("director_display", _STR_LIST),
        ("cast_display", _STR_LIST),
        ("listed_in_display", _STR_LIST),
        ("country_display", _STR_LIST),
    ]
)

#: Every processed table by file name.
SCHEMAS: Final[dict[str, pa.Schema]] = {
    MOVIES_TABLE: MOVIES_SCHEMA,
    MOVIE_FEATURES_TABLE: MOVIE_FEATURES_SCHEMA,
    STREAMING_TABLE: STREAMING_SCHEMA,
}


class SchemaMismatchError(ValueError):
    """A processed table does not have the columns and types of its schema."""


def check(schema: pa.Schema, path: Path) -> None:
    """Raise :class:`SchemaMismatchError` unless the Parquet file at ``path`` has ``schema``'s
    columns with their types (extra columns are allowed: readers select what they need)."""
    found = pq.read_schema(path)
    wrong = [
        f"{field.name} ({field.type}, found {found.field(field.name).type if field.name in found.names else 'nothing'})"
        for field in schema
        if field.name not in found.names or not found.field(field.name).type.equals(field.type)
    ]
    if wrong:
        raise SchemaMismatchError(
            f"{path} does not match the processed-data contract: {', '.join(wrong)};"
            " run the ETL again (`uv run etl all --force`)"
        )

"""The processed-data contract between the ETL and the services (schema version 1).

Layout under ``PROCESSED_DIR``::

    movies/movies.parquet          published movies table (one row per movie id)
    movies/movie_features.parquet  columns the recommender needs but the published table drops
    movies/manifest.json           inputs' sha256, rows in/out, rejects by reason, data_version
    movies/report.html             EDA report
    streaming/titles.parquet       the four platforms' catalogues in one table
    streaming/manifest.json
    streaming/report.html

``movies.parquet`` columns: id int64, title str, overview str|null, tagline str|null,
original_language str|null, status str|null, popularity float64, runtime float64|null,
vote_average float64, budget float64, revenue float64, return float64 (revenue/budget, 0 when
budget is 0; never NaN/inf), release_date date32, release_year int32, release_month int8 (1-12),
release_weekday int8 (0=Monday..6=Sunday), collection_id int64|null, collection_name str|null,
genres list<str>, production_companies list<str>, production_countries list<str> (names),
production_country_codes list<str> (ISO 3166-1 alpha-2), spoken_languages list<str> (ISO 639-1),
directors list<str>, cast list<str> (ordered by billing, top N), keywords list<str>.

``movie_features.parquet``: id int64, vote_count float64, imdb_id str|null.

``titles.parquet`` columns: id str (platform letter + show_id), platform str (amazon|disney|hulu|
netflix), show_id str, type str ("movie"|"tv show"), title str, director list<str>, cast list<str>,
country list<str>, date_added date32|null, release_year int32, rating str, duration_int int32|null,
duration_type str|null ("min"|"season"), listed_in list<str>, description str|null,
score_mean float64|null, score_count int64|null, then display copies in the original spelling (same
trimming and splitting): title_display str, description_display str|null, director_display list<str>,
cast_display list<str>, listed_in_display list<str>, country_display list<str>. Every other text value
is lower-case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final, Literal

SCHEMA_VERSION: Final = 1

Edition = Literal["movies", "streaming"]
EDITIONS: Final[tuple[Edition, ...]] = ("movies", "streaming")

MOVIES_TABLE: Final = "movies.parquet"
MOVIE_FEATURES_TABLE: Final = "movie_features.parquet"
STREAMING_TABLE: Final = "titles.parquet"
MANIFEST: Final = "manifest.json"
REPORT: Final = "report.html"

PLATFORMS: Final = ("amazon", "disney", "hulu", "netflix")


def edition_dir(processed_dir: Path, edition: Edition) -> Path:
    """Folder of one edition's processed files."""
    return processed_dir / edition


class StepNotRunError(FileNotFoundError):
    """A file that an earlier step writes is missing: the message names it and the command to run."""

    def __init__(self, path: Path, command: str, what: str = "") -> None:
        super().__init__(f"{what}{path} not found: run `{command}` first")


def require(path: Path, command: str, what: str = "") -> Path:
    """``path`` when it is a file, else :class:`StepNotRunError` naming ``command``."""
    if not path.is_file():
        raise StepNotRunError(path, command, what)
    return path


def read_manifest(processed_dir: Path, edition: Edition) -> dict[str, Any]:
    """The edition's manifest; StepNotRunError names the file and the command that writes it."""
    path = require(edition_dir(processed_dir, edition) / MANIFEST, f"uv run etl {edition}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def data_version(processed_dir: Path, edition: Edition) -> str:
    """The manifest's data version string: it changes whenever an input of that edition changes."""
    return str(read_manifest(processed_dir, edition)["data_version"])

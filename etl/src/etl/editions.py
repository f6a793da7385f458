"""The editions as a table: each edition's outputs, inputs, parameters and build function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cinemateca_common.contract import MOVIE_FEATURES_TABLE, MOVIES_TABLE, STREAMING_TABLE, Edition
from etl import movies, streaming
from etl.build import Build
from etl.config import Settings
from etl.progress import Progress


@dataclass(frozen=True)
class EditionSpec:
    """How one edition is built: the pipeline reads this instead of branching on the edition.

    ``outputs`` are the Parquet files in the order ``build`` returns them (the main table first);
    ``input_paths`` finds the raw files by role in the edition's raw folder (InputError when a
    required one is missing); ``input_columns`` gives the columns an input's header must hold, by
    role; ``parameters`` are the settings that change the output (they enter the data version).
    """

    outputs: tuple[str, ...]
    input_paths: Callable[[Path], dict[str, Path]]
    input_columns: Callable[[str], tuple[str, ...]]
    parameters: Callable[[Settings], dict[str, Any]]
    build: Callable[[dict[str, Path], Settings, Progress], Build]


SPECS: dict[Edition, EditionSpec] = {
    "movies": EditionSpec(
        outputs=(MOVIES_TABLE, MOVIE_FEATURES_TABLE),
        input_paths=movies.input_paths,
        input_columns=movies.input_columns,
        parameters=lambda settings: {"top_cast": settings.top_cast},
        build=lambda paths, settings, progress: movies.build(paths, settings.top_cast, progress),
    ),
    "streaming": EditionSpec(
        outputs=(STREAMING_TABLE,),
        input_paths=streaming.input_paths,
        input_columns=streaming.input_columns,
        parameters=lambda settings: {},
        build=lambda paths, settings, progress: streaming.build(paths, progress),
    ),
}

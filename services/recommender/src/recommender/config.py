"""Recommender settings: where the processed data and the model artifacts live, and the model's knobs."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PositiveInt

from cinemateca_common.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    """Read from the environment (``PROCESSED_DIR``, ``MODEL_DIR``, ``DATA_DIR``, ...) or passed directly.

    ``data_dir`` is the raw-data folder; when it holds ``movies/ratings_small.csv.gz`` and
    ``movies/links.csv.gz``, training evaluates the movies model on those ratings and stores the
    metrics in the artifact's metadata.
    """

    processed_dir: Path = Path("data/processed")
    model_dir: Path = Path("data/models")
    data_dir: Path | None = None
    neighbors: PositiveInt = Field(default=50, ge=5, le=200)
    block_rows: PositiveInt = 1000

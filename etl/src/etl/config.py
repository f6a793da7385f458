"""ETL settings: where the raw data lives, where the processed data goes, and the build parameters."""

from __future__ import annotations

from pathlib import Path

from pydantic import PositiveInt

from cinemateca_common.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    """Read from the environment (``DATA_DIR``, ``PROCESSED_DIR``, ``TOP_CAST``); CLI flags override."""

    data_dir: Path = Path("data/raw")
    processed_dir: Path = Path("data/processed")
    top_cast: PositiveInt = 5

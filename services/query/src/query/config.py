"""Query-service settings, read from the environment (and .env); tests pass them directly."""

from __future__ import annotations

from pathlib import Path

from cinemateca_common.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    """``PROCESSED_DIR``: the ETL output holding ``movies/`` and ``streaming/``."""

    processed_dir: Path = Path("data/processed")

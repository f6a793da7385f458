"""Fixtures shared by every test package: the real raw data, its ETL output, trained models, a spare Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from recommender.config import Settings as RecommenderSettings
from recommender.train import train_edition
from tests.support.processes import SpareRedis

REPO_ROOT = Path(__file__).resolve().parents[1]


def _raw_data_dir() -> Path:
    configured = Path(os.environ.get("DATA_DIR", "../shared/data"))
    path = configured if configured.is_absolute() else (REPO_ROOT / configured).resolve()
    if not (path / "movies").is_dir() or not (path / "streaming").is_dir():
        pytest.exit(
            f"raw data not found at {path}: set DATA_DIR to the folder holding movies/ and streaming/",
            2,
        )
    return path


@pytest.fixture(scope="session")
def raw_data_dir() -> Path:
    """The real raw-data folder (``DATA_DIR``, default ../shared/data beside the checkout)."""
    return _raw_data_dir()


@pytest.fixture(scope="session")
def processed_dir(raw_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ETL output of the real shared data for both editions, built once per test session."""
    out = tmp_path_factory.mktemp("processed")
    settings = EtlSettings(data_dir=raw_data_dir, processed_dir=out)
    for edition in ("movies", "streaming"):
        run_edition(edition, settings)
    return out


@pytest.fixture(scope="session")
def model_dir(
    processed_dir: Path, raw_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Recommender artifacts trained on the real ETL output and ratings, built once per test session."""
    out = tmp_path_factory.mktemp("models")
    settings = RecommenderSettings(
        processed_dir=processed_dir, model_dir=out, data_dir=raw_data_dir
    )
    for edition in ("movies", "streaming"):
        train_edition(edition, settings)
    return out


@pytest.fixture
def spare_redis(tmp_path: Path) -> Iterator[SpareRedis]:
    """A redis-server of the test's own (not started yet), killed at teardown."""
    server = SpareRedis(tmp_path)
    try:
        yield server
    finally:
        server.kill()

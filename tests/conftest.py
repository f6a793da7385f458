"""Fixtures shared by every test package: the real raw data and its oracle, its ETL output, trained models,
a spare Redis, and (tests/support/stack.py) the real stack as processes."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import Settings as EtlSettings
from etl.pipeline import run_edition
from recommender.config import Settings as RecommenderSettings
from recommender.train import train_edition
from tests.support.processes import SpareRedis
from tests.support.raw import (
    RawMovie,
    RawMovies,
    RawTitle,
    raw_titles_of,
    read_platform_rows,
    read_raw_movies,
    read_scores,
)

# Registered here, once: a conftest that imports fixtures from another registers them a second time.
pytest_plugins = ["tests.support.stack"]

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
def raw_movies_file(raw_data_dir: Path) -> RawMovies:
    """The raw movies file as the one raw-data oracle reads it (rows in, drops by reason, rows kept)."""
    return read_raw_movies(raw_data_dir)


@pytest.fixture(scope="session")
def raw_movies(raw_movies_file: RawMovies) -> list[RawMovie]:
    """The raw movies the ETL keeps, by the oracle."""
    return raw_movies_file.kept


@pytest.fixture(scope="session")
def raw_platforms(raw_data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every platform's raw rows, unchanged, by platform."""
    return read_platform_rows(raw_data_dir)


@pytest.fixture(scope="session")
def raw_scores(raw_data_dir: Path) -> dict[str, float]:
    """The raw mean score by streaming title id."""
    return read_scores(raw_data_dir)


@pytest.fixture(scope="session")
def raw_titles(
    raw_platforms: dict[str, list[dict[str, str]]], raw_scores: dict[str, float]
) -> list[RawTitle]:
    """The raw streaming titles as the one raw-data oracle reads them."""
    return raw_titles_of(raw_platforms, raw_scores)


class _TerminalProgress(logging.Handler):
    """Shows INFO lines of the session's long fixtures on the terminal, past pytest's capture.

    The ETL and the training take minutes at the start of a session; their own progress lines
    (``movies: reading credits: 20,000 rows (12.3 s)``) show that the session is working.
    """

    def __init__(self, config: pytest.Config) -> None:
        super().__init__(logging.INFO)
        self.reporter = config.pluginmanager.get_plugin("terminalreporter")
        self.capture = config.pluginmanager.get_plugin("capturemanager")

    def write(self, line: str) -> None:
        if self.reporter is None:
            return
        suspended = (
            self.capture.global_and_fixture_disabled()
            if self.capture is not None
            else contextlib.nullcontext()
        )
        with suspended:
            self.reporter.write_line(f"[session setup] {line}")
            self.reporter.flush()

    def emit(self, record: logging.LogRecord) -> None:
        self.write(record.getMessage())


@contextlib.contextmanager
def _progress(config: pytest.Config, what: str, loggers: tuple[str, ...]) -> Iterator[None]:
    """Announce ``what``, show the given loggers' INFO lines while it runs, then its duration."""
    handler = _TerminalProgress(config)
    targets = [logging.getLogger(name) for name in loggers]
    levels = [target.level for target in targets]
    for target in targets:
        target.addHandler(handler)
        if target.getEffectiveLevel() > logging.INFO:
            target.setLevel(logging.INFO)
    started = time.perf_counter()
    handler.write(f"{what} ...")
    try:
        yield
    finally:
        for target, level in zip(targets, levels, strict=True):
            target.removeHandler(handler)
            target.setLevel(level)
    handler.write(f"{what}: done in {time.perf_counter() - started:.0f} s")


@pytest.fixture(scope="session")
def processed_dir(
    raw_data_dir: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Path:
    """ETL output of the real shared data for both editions, built once per test session."""
    out = tmp_path_factory.mktemp("processed")
    settings = EtlSettings(data_dir=raw_data_dir, processed_dir=out)
    with _progress(pytestconfig, "ETL of the real data (both editions)", ("etl",)):
        for edition in ("movies", "streaming"):
            run_edition(edition, settings)
    return out


@pytest.fixture(scope="session")
def model_dir(
    processed_dir: Path,
    raw_data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pytestconfig: pytest.Config,
) -> Path:
    """Recommender artifacts trained on the real ETL output and ratings, built once per test session."""
    out = tmp_path_factory.mktemp("models")
    settings = RecommenderSettings(
        processed_dir=processed_dir, model_dir=out, data_dir=raw_data_dir
    )
    with _progress(pytestconfig, "training of both recommender models", ("recommender",)):
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

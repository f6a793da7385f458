"""Recommender fixtures: the trained models loaded in-process and an API client over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recommender.app import create_app
from recommender.config import Settings
from recommender.model import Recommender


@pytest.fixture(scope="session")
def movies(model_dir: Path) -> Recommender:
    """The movies model trained on the real sample."""
    return Recommender.load(model_dir, "movies")


@pytest.fixture(scope="session")
def streaming(model_dir: Path) -> Recommender:
    """The streaming model trained on the real catalogues."""
    return Recommender.load(model_dir, "streaming")


@pytest.fixture(scope="session")
def client(model_dir: Path) -> Iterator[TestClient]:
    """The service over the trained models, lifespan run."""
    with TestClient(create_app(Settings(model_dir=model_dir))) as test_client:
        yield test_client

"""The recommender's /metrics and probes after real requests on the trained models."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from fastapi.testclient import TestClient

from recommender.app import create_app
from recommender.config import Settings
from tests.support.metrics import Scrape


def test_model_versions_and_route_templates(model_dir: Path) -> None:
    with TestClient(create_app(Settings(model_dir=model_dir))) as client:
        assert client.get("/get_recommendation/Toy Story").status_code == 200
        assert client.get("/get_recommendation/Face/Off").status_code in (200, 404)
        health = client.get("/health").json()
        metrics = Scrape(client.get("/metrics").text)
    route = {"service": "recommender", "route": "/get_recommendation/{titulo}"}
    assert metrics.value("cinemateca_http_request_duration_seconds_count", **route) == 2
    assert sorted(
        (labels["edition"], labels["model_version"])
        for labels in metrics.labels("cinemateca_model_version_info")
    ) == sorted(health["model_versions"].items())
    assert metrics.labels("cinemateca_build_info") == [
        {"service": "recommender", "version": version("recommender")}
    ]
    assert not any("Toy Story" in v or "Face" in v for v in metrics.label_values())


def test_probes(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "checks": {"models": True}})

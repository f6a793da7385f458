"""The query service's /metrics and probes after real requests on the real ETL output."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from fastapi.testclient import TestClient

from query.app import create_app
from query.config import Settings
from tests.support.metrics import Scrape


def test_requests_are_counted_by_route_template_never_by_raw_path(processed_dir: Path) -> None:
    with TestClient(create_app(Settings(processed_dir=processed_dir))) as client:
        assert client.get("/peliculas_mes/Enero").status_code == 200
        assert client.get("/peliculas_mes/ENERO").status_code == 200
        assert client.get("/peliculas_mes/Brumario").status_code == 422
        assert client.get("/franquicia/Toy Story Collection").status_code == 200
        assert client.get("/no/existe/Enero").status_code == 404
        health = client.get("/health").json()
        scrape = client.get("/metrics")
    assert scrape.headers["content-type"].startswith("text/plain")
    metrics = Scrape(scrape.text)
    requests = "cinemateca_http_requests_total"
    mes = {"service": "query", "method": "GET", "route": "/peliculas_mes/{mes}"}
    assert metrics.value(requests, **mes, status_class="2xx") == 2
    assert metrics.value(requests, **mes, status_class="4xx") == 1
    assert metrics.value(requests, route="/franquicia/{franquicia}", status_class="2xx") == 1
    assert metrics.value(requests, route="<sin ruta>", status_class="4xx") == 1
    assert metrics.value(requests, route="/health", status_class="2xx") == 1
    assert metrics.value("cinemateca_http_request_duration_seconds_count", **mes) == 3
    assert metrics.value("cinemateca_http_request_duration_seconds_bucket", **mes, le="+Inf") == 3
    assert metrics.value("cinemateca_http_requests_in_flight", service="query") == 1  # the scrape
    assert metrics.labels("cinemateca_build_info") == [
        {"service": "query", "version": version("query")}
    ]
    assert sorted(
        (labels["edition"], labels["data_version"])
        for labels in metrics.labels("cinemateca_data_version_info")
    ) == sorted(health["data_versions"].items())
    raw = [v for v in metrics.label_values() if "Enero" in v or "ENERO" in v or "Brumario" in v]
    assert raw == []
    assert not any("/no/existe" in v or "Toy Story" in v for v in metrics.label_values())


def test_probes(client: TestClient) -> None:
    live = client.get("/health/live")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    ready = client.get("/health/ready")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "checks": {"data": True}})
    assert client.get("/health").json()["status"] == "ok", "the detailed body is unchanged"

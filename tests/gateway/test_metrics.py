"""The gateway's own /metrics (never forwarded) and its probes, in front of small real services."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from gateway.app import VERSION, create_app
from gateway.config import Settings
from tests.gateway.conftest import REDIS_URL, Service
from tests.support.metrics import Scrape


def test_requests_cache_results_and_downstream_errors_on_the_gateways_own_scrape(
    query_service: Service, hung_recommender: Settings
) -> None:
    with TestClient(create_app(hung_recommender)) as client:
        assert client.get("/peliculas_mes/Enero").headers["x-cache"] == "miss"
        assert client.get("/peliculas_mes/enero").headers["x-cache"] == "hit"
        assert client.get("/get_count_platform/boom").status_code == 502
        assert client.get("/get_recommendation/Toy Story").status_code == 504
        assert client.get("/peliculas_mes/Enero/de/1995").status_code == 404
        assert client.request("BREW", "/peliculas_mes/Enero").status_code == 405
        scrape = client.get("/metrics")
    assert "x-cache" not in scrape.headers
    assert "/metrics" not in query_service[0].calls, "served by the gateway, never forwarded"
    metrics = Scrape(scrape.text)
    requests = "cinemateca_http_requests_total"
    mes = {"service": "gateway", "method": "GET", "route": "/peliculas_mes/{mes}"}
    assert metrics.value(requests, **mes, status_class="2xx") == 2
    assert metrics.value(requests, route="/get_count_platform/{platform}", status_class="5xx") == 1
    assert metrics.value(requests, route="/get_recommendation/{titulo}", status_class="5xx") == 1
    assert metrics.value(requests, route="<sin ruta>", status_class="4xx") == 1
    # A method is a label only when it is a standard one: clients cannot mint label values.
    assert metrics.value(requests, **{**mes, "method": "OTHER"}, status_class="4xx") == 1
    assert "BREW" not in metrics.label_values()
    assert metrics.value("cinemateca_cache_requests_total", result="hit") == 1
    results = metrics.labels("cinemateca_cache_requests_total")
    assert sorted(labels["result"] for labels in results) == ["bypass", "hit", "miss"]
    assert sum(metrics.value("cinemateca_cache_requests_total", **r) for r in results) == 4
    errors = {
        (labels["downstream"], labels["kind"]): metrics.value(
            "cinemateca_downstream_errors_total", **labels
        )
        for labels in metrics.labels("cinemateca_downstream_errors_total")
    }
    assert errors == {
        ("query", "timeout"): 0,
        ("query", "unreachable"): 0,
        ("query", "5xx"): 1,
        ("recommender", "timeout"): 1,
        ("recommender", "unreachable"): 0,
        ("recommender", "5xx"): 0,
    }
    # The one cached answer: its key, content type and body.
    assert 0 < metrics.value("cinemateca_cache_size_bytes") < 1000
    assert metrics.labels("cinemateca_build_info") == [{"service": "gateway", "version": VERSION}]
    assert not any("Enero" in v or "enero" in v or "Toy" in v for v in metrics.label_values())


def test_unreachable_downstream_and_redis_cache_size(
    query_service: Service, closed_url: str
) -> None:
    settings = Settings(
        query_url=query_service[1],
        recommender_url=closed_url,
        redis_url=REDIS_URL,
        cache_prefix=f"cinemateca-test:{uuid.uuid4().hex}:",
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/get_recommendation/Heat").status_code == 503
        metrics = Scrape(client.get("/metrics").text)
    errors = "cinemateca_downstream_errors_total"
    assert metrics.value(errors, downstream="recommender", kind="unreachable") == 1
    assert metrics.value("cinemateca_cache_size_bytes") > 0, "Redis's used_memory"


def test_liveness_stays_200_while_readiness_follows_the_cache_and_the_downstreams(
    query_service: Service, closed_url: str, closed_redis_url: str
) -> None:
    one_down = Settings(query_url=query_service[1], recommender_url=closed_url)
    with TestClient(create_app(one_down)) as client:
        assert client.get("/health/live").json() == {"status": "ok"}
        ready = client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "checks": {"cache": True, "downstream": True}}
        # The detailed /health keeps its rule: 503 while any service is down.
        assert client.get("/health").status_code == 503

    all_down = Settings(query_url=closed_url, recommender_url=closed_url)
    with TestClient(create_app(all_down)) as client:
        live = client.get("/health/live")
        assert (live.status_code, live.json()) == (200, {"status": "ok"})
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"cache": True, "downstream": False}
        assert ready.json()["detail"]["message"] == "el servicio no está listo: falla downstream"

    no_cache = Settings(
        query_url=query_service[1], recommender_url=query_service[1], redis_url=closed_redis_url
    )
    with TestClient(create_app(no_cache)) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"cache": False, "downstream": True}

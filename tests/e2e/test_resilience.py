"""The real stack under trouble: a new data version, a stopped service, a hung one, Redis going away."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from tests.support.processes import SpareRedis
    from tests.support.servers import UvicornServer as Service
    from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10.0)


def test_new_data_version_is_a_new_cache_entry(healthy_stack: Stack, tmp_path: Path) -> None:
    stack = healthy_stack
    stack.clear_cache()
    url = f"{stack.url}/get_contents/tv-ma"
    assert get(url).headers["x-cache"] == "miss"
    before = get(url)
    assert before.headers["x-cache"] == "hit"
    old = stack.gateway_health().json()["data_versions"]["movies"]

    # A second processed folder whose movies manifest carries another data version.
    copy = tmp_path / "processed"
    shutil.copytree(stack.processed_dir, copy)
    manifest_path = copy / "movies" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["data_version"] = f"{old}-e2e"
    manifest_path.write_text(json.dumps(manifest))
    try:
        stack.query.stop()
        stack.query.start(PROCESSED_DIR=str(copy))
        deadline = time.monotonic() + 30
        while stack.gateway_health().json()["data_versions"]["movies"] != f"{old}-e2e":
            assert time.monotonic() < deadline, "the gateway never picked up the new data version"
            time.sleep(0.1)
        after = get(url)
        assert after.headers["x-cache"] == "miss", "an answer cached for the old data was served"
        assert get(url).headers["x-cache"] == "hit"
        assert after.json() == before.json()
    finally:
        stack.query.stop()
        stack.query.start(PROCESSED_DIR=str(stack.processed_dir))


def test_stopped_service_is_503_and_recovers(healthy_stack: Stack) -> None:
    stack = healthy_stack
    stack.clear_cache()
    cached = f"{stack.url}/get_recommendation/Jumanji"
    assert get(cached).status_code == 200
    try:
        stack.recommender.stop()
        response = get(f"{stack.url}/get_recommendation/Heat")
        assert response.status_code == 503
        assert response.json() == {
            "detail": {
                "message": "el servicio recommender no responde",
                "service": "recommender",
            }
        }
        health = stack.gateway_health()
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert health.json()["services"]["recommender"]["status"] == "down"
        assert health.json()["services"]["query"]["status"] == "ok"
        # The other service is unaffected, and what was cached for the last version still answers.
        assert get(f"{stack.url}/peliculas_mes/marzo").status_code == 200
        kept = get(cached)
        assert (kept.status_code, kept.headers["x-cache"]) == (200, "hit")
    finally:
        stack.recommender.start()
    stack.wait_gateway_sees("recommender", "ok")
    recovered = get(f"{stack.url}/get_recommendation/Heat")
    assert recovered.status_code == 200
    assert len(recovered.json()) == 5
    assert stack.gateway_health().status_code == 200


def test_hung_service_is_504_and_recovers(healthy_stack: Stack) -> None:
    stack = healthy_stack
    stack.clear_cache()
    stack.query.pause()
    try:
        started = time.monotonic()
        response = httpx.get(
            f"{stack.url}/peliculas_pais/Francia",
            headers={"X-Request-ID": "hung-1"},
            timeout=10.0,
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 504
        assert response.json() == {
            "detail": {
                "message": "el servicio query no respondió en 3 s",
                "service": "query",
            }
        }
        assert response.headers["x-request-id"] == "hung-1"
        assert elapsed < 8, "the gateway's timeout bounds the wait"
        assert stack.gateway_health().status_code == 503
    finally:
        stack.query.resume()
    stack.wait_gateway_sees("query", "ok")
    recovered = get(f"{stack.url}/peliculas_pais/Francia")
    assert recovered.status_code == 200
    assert recovered.json()["cantidad"] > 0


def test_redis_going_away_degrades_to_bypass_and_comes_back(
    healthy_stack: Stack,
    spare_redis: SpareRedis,
    extra_gateway: Callable[[str], Service],
) -> None:
    spare_redis.start()
    gateway = extra_gateway(spare_redis.url)
    url = f"{gateway.url}/get_count_platform/disney"
    assert get(url).headers["x-cache"] == "miss"
    assert get(url).headers["x-cache"] == "hit"

    spare_redis.kill()
    for path in [
        "/get_count_platform/disney",
        "/get_count_platform/hulu",
        "/peliculas_dia/lunes",
    ] * 5:
        response = get(gateway.url + path)
        assert response.status_code == 200, response.text
        assert response.headers["x-cache"] == "bypass"
    health = httpx.get(f"{gateway.url}/health", timeout=10.0).json()
    assert health["status"] == "degraded"
    assert health["cache"]["status"] == "down"

    spare_redis.start()  # back on the same port, empty
    deadline = time.monotonic() + 15
    while (status := get(url).headers["x-cache"]) == "bypass":
        assert time.monotonic() < deadline, "the gateway never used Redis again"
        time.sleep(0.1)
    assert status == "miss"
    assert get(url).headers["x-cache"] == "hit"

    log = gateway.log_file.read_text()
    assert log.count("unreachable") == 1, "one warning per outage, not one per request"
    assert log.count("is back") == 1

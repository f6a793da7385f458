"""The real stack as processes: query, recommender and gateway under uvicorn on free loopback ports.

A pytest plugin registered once, by the root conftest's ``pytest_plugins``, so the end-to-end and the
browser tests share one session stack. The services read the session's ETL output and models
(``processed_dir``, ``model_dir`` from tests/conftest.py); the gateway caches in the shared local Redis,
database 15, under a key prefix of its own that teardown deletes. Every process is started in its own
session and always stopped.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.processes import delete_prefix, redis_answers
from tests.support.route_table import route_for
from tests.support.servers import UvicornServer as Service

REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass
class Stack:
    query: Service
    recommender: Service
    gateway: Service
    processed_dir: Path
    prefix: str

    @property
    def url(self) -> str:
        return self.gateway.url

    def services(self) -> list[Service]:
        return [self.gateway, self.recommender, self.query]

    def service_url(self, path: str) -> str:
        """The URL of the service the gateway forwards ``path`` to."""
        service = self.query if route_for(path).service == "query" else self.recommender
        return service.url

    def clear_cache(self) -> None:
        """Forget every answer the stack's gateway cached (its Redis keys), so the next is a miss."""
        delete_prefix(REDIS_URL, self.prefix)

    def gateway_health(self) -> httpx.Response:
        return httpx.get(f"{self.url}/health", timeout=10.0)

    def wait_gateway_sees(
        self, service: str, status: str, timeout: float = 30.0
    ) -> dict[str, object]:
        """Poll the gateway's /health until ``service`` has ``status`` there; returns its entry."""
        deadline = time.monotonic() + timeout
        entry: dict[str, object] = {}
        while time.monotonic() < deadline:
            entry = self.gateway_health().json()["services"][service]
            if entry["status"] == status:
                return entry
            time.sleep(0.1)
        raise AssertionError(f"the gateway never saw {service} {status}: {entry}")


def gateway_env(
    query_url: str, recommender_url: str, redis_url: str, prefix: str
) -> dict[str, str]:
    """Short timeouts and refresh intervals, so outages and new versions show up within a second."""
    return {
        "QUERY_URL": query_url,
        "RECOMMENDER_URL": recommender_url,
        "REDIS_URL": redis_url,
        "CACHE_PREFIX": prefix,
        "DOWNSTREAM_TIMEOUT": "3",
        "HEALTH_TIMEOUT": "0.5",
        "VERSION_REFRESH_SECONDS": "0.5",
        "VERSION_RETRY_SECONDS": "0.2",
        "REDIS_RETRY_SECONDS": "0.5",
    }


@pytest.fixture(scope="session")
def stack(
    processed_dir: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Query, recommender and gateway (Redis db 15) on the session's real data and models."""
    if not redis_answers(REDIS_URL):
        pytest.fail("the end-to-end tests need Redis on 127.0.0.1:6379 (bash .ci/run starts one)")
    logs = tmp_path_factory.mktemp("stack-logs")
    prefix = f"cinemateca-e2e:{uuid.uuid4().hex}:"
    data = {"PROCESSED_DIR": str(processed_dir), "MODEL_DIR": str(model_dir)}
    query = Service("query", "query.app:create_app", dict(data), logs)
    recommender = Service("recommender", "recommender.app:create_app", dict(data), logs)
    env = gateway_env(query.url, recommender.url, REDIS_URL, prefix)
    gateway = Service("gateway", "gateway.app:create_app", env, logs)
    stack = Stack(query, recommender, gateway, processed_dir, prefix)
    try:
        query.start()
        recommender.start()
        gateway.start()
        yield stack
    finally:
        for service in stack.services():
            service.stop()
        stack.clear_cache()


@pytest.fixture
def healthy_stack(stack: Stack) -> Stack:
    """The stack with every service up and seen up by the gateway (tests that stop one restore it)."""
    for service in stack.services():
        if service.paused:
            service.resume()
    stack.wait_gateway_sees("query", "ok")
    stack.wait_gateway_sees("recommender", "ok")
    return stack

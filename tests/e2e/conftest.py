"""Fixtures of the end-to-end tests; the session stack itself is tests/support/stack.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.servers import UvicornServer as Service
from tests.support.stack import Stack, gateway_env


@pytest.fixture
def extra_gateway(stack: Stack, tmp_path: Path) -> Iterator[Callable[[str], Service]]:
    """Starts another gateway in front of the stack's services with the given REDIS_URL."""
    started: list[Service] = []

    def start(redis_url: str) -> Service:
        env = gateway_env(stack.query.url, stack.recommender.url, redis_url, stack.prefix + "x:")
        service = Service(f"gateway-{len(started)}", "gateway.app:create_app", env, tmp_path)
        started.append(service)
        service.start()
        return service

    try:
        yield start
    finally:
        for service in started:
            service.stop()

"""Error mapping at the one edge a real server cannot produce on demand: a connect timeout."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from gateway.cache import MemoryCache
from gateway.downstream import Downstream, ErrorKind
from gateway.params import parse
from gateway.proxy import Proxy, ProxyRequest
from gateway.routes import ROUTES

pytestmark = pytest.mark.anyio

ROUTE = next(route for route in ROUTES if route.template == "/get_count_platform/{platform}")
PARSED = parse(ROUTE, {"platform": "netflix"}, [])


class FailingConnector(aiohttp.TCPConnector):
    """Every new connection fails with ``error`` (or, with None, never completes)."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error

    async def _create_connection(self, *args: Any, **kwargs: Any) -> Any:
        if self.error is None:
            await asyncio.sleep(3600)
        raise self.error  # type: ignore[misc]


async def answer(error: Exception | None, kind: ErrorKind) -> tuple[int, dict[str, object]]:
    session = aiohttp.ClientSession(connector=FailingConnector(error))
    downstream = Downstream("query", "http://query.test", session, health_timeout=1.0)
    downstream.version = "v1"
    proxy = Proxy({"query": downstream}, MemoryCache(1_000_000), ttl=60, ttl_4xx=30, timeout=0.3)
    request = ProxyRequest(PARSED, "/get_count_platform/netflix", "rid")
    async with session:
        response, cache_status = await proxy.handle(request)
    assert cache_status == "bypass", "a gateway error is never a cache miss"
    assert downstream.failure.is_set(), "a failure makes the watcher re-read the version"
    assert downstream.errors == {"timeout": 0, "unreachable": 0, "5xx": 0, kind: 1}
    body: dict[str, object] = json.loads(response.body)
    return response.status, body


async def test_connect_timeout_is_503() -> None:
    status, body = await answer(aiohttp.ConnectionTimeoutError("timed out"), "unreachable")
    assert status == 503
    assert body == {
        "detail": {
            "message": "el servicio query no responde (tiempo de conexión agotado)",
            "service": "query",
        }
    }


async def test_no_connection_within_the_deadline_is_504() -> None:
    status, body = await answer(None, "timeout")
    assert status == 504
    assert body == {
        "detail": {
            "message": "el servicio query no respondió en 0.3 s",
            "service": "query",
        }
    }


async def test_disconnect_is_503() -> None:
    status, body = await answer(aiohttp.ServerDisconnectedError(), "unreachable")
    assert status == 503
    assert body["detail"] == {"message": "el servicio query no responde", "service": "query"}

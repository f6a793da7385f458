"""Error mapping at the one edge a real server cannot produce on demand: a connect timeout."""

from __future__ import annotations

import json

import httpx
import pytest

from gateway.cache import MemoryCache
from gateway.downstream import Downstream
from gateway.params import parse
from gateway.proxy import Proxy, ProxyRequest
from gateway.routes import ROUTES

pytestmark = pytest.mark.anyio

ROUTE = next(route for route in ROUTES if route.template == "/get_count_platform/{platform}")
PARSED = parse(ROUTE, {"platform": "netflix"}, [])


async def answer(error: Exception) -> tuple[int, dict[str, object]]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    client = httpx.AsyncClient(base_url="http://query.test", transport=httpx.MockTransport(handler))
    downstream = Downstream("query", "http://query.test", client, health_timeout=1.0)
    downstream.version = "v1"
    proxy = Proxy({"query": downstream}, MemoryCache(1_000_000), ttl=60, ttl_4xx=30, timeout=1.5)
    request = ProxyRequest(PARSED, "/get_count_platform/netflix", "rid")
    async with client:
        response, cache_status = await proxy.handle(request)
    assert cache_status == "bypass", "a gateway error is never a cache miss"
    assert downstream.failure.is_set(), "a failure makes the watcher re-read the version"
    body: dict[str, object] = json.loads(response.body)
    return response.status, body


async def test_connect_timeout_is_503() -> None:
    status, body = await answer(httpx.ConnectTimeout("timed out"))
    assert status == 503
    assert body == {
        "detail": {
            "message": "el servicio query no responde (tiempo de conexión agotado)",
            "service": "query",
        }
    }


async def test_read_and_pool_timeouts_are_504() -> None:
    for error in (httpx.ReadTimeout("slow"), httpx.PoolTimeout("busy")):
        status, body = await answer(error)
        assert status == 504
        assert body == {
            "detail": {
                "message": "el servicio query no respondió en 1.5 s",
                "service": "query",
            }
        }


async def test_protocol_error_is_503() -> None:
    status, body = await answer(httpx.RemoteProtocolError("server disconnected"))
    assert status == 503
    assert body["detail"] == {"message": "el servicio query no responde", "service": "query"}

"""The Redis backend against the real local Redis (db 15, own key prefix) and against a dead one."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest
import redis.asyncio as aioredis

from gateway.cache import CachedResponse, CacheUnavailableError, RedisCache
from tests.gateway.conftest import REDIS_URL

if TYPE_CHECKING:
    from tests.support.processes import SpareRedis

pytestmark = pytest.mark.anyio

VALUE = CachedResponse(200, "application/json", '{"mes": "enero", "ñ": 1}'.encode())


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def cache() -> AsyncIterator[RedisCache]:
    prefix = f"cinemateca-test:{uuid.uuid4().hex}:"
    cache = RedisCache(REDIS_URL, prefix=prefix, timeout=1.0, retry_seconds=1.0)
    if not await cache.ping():
        pytest.fail("the gateway tests need Redis on 127.0.0.1:6379 (bash .ci/run starts one)")
    yield cache
    await cache.clear()
    await cache.close()


async def test_round_trip_with_ttl_under_prefix(cache: RedisCache) -> None:
    await cache.set("k", VALUE, 30)
    assert await cache.get("k") == VALUE
    assert await cache.get("other") is None
    assert await cache.get("other", "k") == VALUE
    raw = aioredis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in raw.scan_iter(match=cache._prefix + "*")]
        assert keys == [(cache._prefix + "k").encode()]
        assert 0 < await raw.pttl(keys[0]) <= 30_000
    finally:
        await raw.aclose()
    assert cache.state()["status"] == "up"
    assert await cache.clear() == 1
    assert await cache.get("k") is None


async def test_zero_ttl_is_not_stored(cache: RedisCache) -> None:
    await cache.set("k", VALUE, 0)
    assert await cache.get("k") is None


async def test_unreachable_redis_bypasses_and_warns_once(
    closed_redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    cache = RedisCache(closed_redis_url, prefix="p:", timeout=0.5, retry_seconds=2.0, clock=clock)
    with caplog.at_level(logging.WARNING, logger="gateway.cache"):
        for _ in range(20):
            with pytest.raises(CacheUnavailableError):
                await cache.get("k")
            with pytest.raises(CacheUnavailableError):
                await cache.set("k", VALUE, 30)
        clock.now = 5.0  # past the backoff: tried again, still down, still no second warning
        with pytest.raises(CacheUnavailableError):
            await cache.get("k")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
    assert cache.state()["status"] == "down"
    await cache.close()


async def test_redis_back_after_an_outage_is_used_again(
    spare_redis: SpareRedis, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    spare_redis.start()
    cache = RedisCache(spare_redis.url, prefix="p:", timeout=0.5, retry_seconds=2.0, clock=clock)
    try:
        await cache.set("k", VALUE, 30)
        assert await cache.get("k") == VALUE
        spare_redis.kill()
        with pytest.raises(CacheUnavailableError):
            await cache.get("k")
        spare_redis.start()  # empty again: no persistence
        with pytest.raises(CacheUnavailableError):
            await cache.get("k")  # within the backoff: not even tried
        clock.now = 2.0
        with caplog.at_level(logging.INFO, logger="gateway.cache"):
            assert await cache.get("k") is None
        assert any("is back" in r.getMessage() for r in caplog.records)
        await cache.set("k", VALUE, 30)
        assert await cache.get("k") == VALUE
        assert cache.state()["status"] == "up"
    finally:
        await cache.close()

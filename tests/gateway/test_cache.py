"""Cache keys, the embedded LRU and single-flight, without HTTP."""

from __future__ import annotations

import asyncio

import pytest

from gateway.cache import CachedResponse, MemoryCache, SingleFlight, cache_key
from gateway.config import Settings

pytestmark = pytest.mark.anyio

MES = "/peliculas_mes/{mes}"


def test_key_folds_case_and_accents() -> None:
    keys = {cache_key(MES, [mes], [], "v1") for mes in ("Enero", "enero", "ENERO", " enero ")}
    assert len(keys) == 1
    pais = "/peliculas_pais/{pais}"
    assert cache_key(pais, ["México"], [], "v1") == cache_key(pais, ["MEXICO"], [], "v1")
    assert cache_key(pais, ["Estados  Unídos"], [], "v1") == cache_key(
        pais, ["estados unidos"], [], "v1"
    )


def test_key_separates_what_differs() -> None:
    base = cache_key(MES, ["enero"], [], "v1")
    assert cache_key(MES, ["febrero"], [], "v1") != base
    assert cache_key(MES, ["enero"], [], "v2") != base, "a new data version is a new key"
    assert cache_key("/peliculas_dia/{dia}", ["enero"], [], "v1") != base
    assert cache_key(MES, ["enero"], [("anio", "1995")], "v1") != base
    # Values that a naive "join with a separator" would confuse.
    two = "/get_actor/{platform}/{year}"
    assert cache_key(two, ["a/b", "c"], [], "v1") != cache_key(two, ["a", "b/c"], [], "v1")


def test_key_sorts_and_folds_query() -> None:
    route = "/recomendaciones/{titulo}"
    one = cache_key(route, ["Toy Story"], [("k", "3"), ("catalogo", "Movies")], "v1")
    two = cache_key(route, ["toy story"], [("catalogo", "movies"), ("K", "3")], "v1")
    assert one == two
    assert one.startswith(route + ":")


def test_exact_key_keeps_the_spelling() -> None:
    year = "/get_actor/{platform}/{year}"
    folded = cache_key(year, ["netflix", "２０２０"], [], "v1")
    assert folded == cache_key(year, ["netflix", "2020"], [], "v1")
    exact = cache_key(year, ["netflix", "２０２０"], [], "v1", exact=True)
    assert exact != cache_key(year, ["netflix", "2020"], [], "v1", exact=True)
    assert exact != folded


def test_cached_response_round_trip() -> None:
    response = CachedResponse(404, "application/json", b'{"detail": {"message": "\xc3\xb1"}}\n')
    assert CachedResponse.loads(response.dumps()) == response


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_lru_evicts_least_recently_used() -> None:
    cache = MemoryCache(max_entries=2)
    a, b, c = (CachedResponse(200, "application/json", x) for x in (b"a", b"b", b"c"))
    await cache.set("a", a, 60)
    await cache.set("b", b, 60)
    assert await cache.get("a") == a  # "a" is now the most recent
    await cache.set("c", c, 60)
    assert await cache.get("b") is None
    assert await cache.get("a") == a
    assert await cache.get("c") == c
    assert len(cache) == 2
    assert await cache.get("missing", "c", "a") == c, "the first key that has an entry"
    assert cache.state() == {"backend": "memory", "status": "up", "entries": 2, "max_entries": 2}


async def test_lru_expires_entries() -> None:
    clock = Clock()
    cache = MemoryCache(max_entries=10, clock=clock)
    value = CachedResponse(200, "application/json", b"1")
    await cache.set("k", value, 30)
    await cache.set("never", value, 0)
    clock.now = 29.9
    assert await cache.get("k") == value
    assert await cache.get("never") is None
    clock.now = 30.0
    assert await cache.get("k") is None
    assert len(cache) == 0


async def test_single_flight_makes_one_call_for_concurrent_misses() -> None:
    flight: SingleFlight[int] = SingleFlight()
    calls = 0
    release = asyncio.Event()

    async def work() -> int:
        nonlocal calls
        calls += 1
        await release.wait()
        return 42

    callers = [asyncio.create_task(flight.do("k", work)) for _ in range(50)]
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(*callers)
    assert calls == 1
    assert {value for value, _ in results} == {42}
    assert sum(shared for _, shared in results) == 49
    assert len(flight) == 0
    # Once done, the next call runs the work again (the cache, not single-flight, keeps answers).
    assert await flight.do("k", work) == (42, False)
    assert calls == 2


async def test_single_flight_shares_errors_and_survives_a_cancelled_caller() -> None:
    flight: SingleFlight[int] = SingleFlight()
    release = asyncio.Event()

    async def failing() -> int:
        await release.wait()
        raise ValueError("downstream exploded")

    first = asyncio.create_task(flight.do("k", failing))
    second = asyncio.create_task(flight.do("k", failing))
    await asyncio.sleep(0.01)
    first.cancel()  # e.g. its client went away: the work goes on for the second caller
    release.set()
    with pytest.raises(ValueError, match="downstream exploded"):
        await second
    with pytest.raises(asyncio.CancelledError):
        await first
    assert len(flight) == 0


def test_blank_redis_url_means_the_embedded_cache() -> None:
    assert Settings(redis_url="").redis_url is None
    assert Settings(redis_url="redis://127.0.0.1:6379/3").redis_url is not None

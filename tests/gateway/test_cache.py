"""Cache keys and the embedded LRU, without HTTP."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from gateway.cache import ENTRY_OVERHEAD, CachedResponse, MemoryCache, cache_key
from gateway.config import Settings
from gateway.params import parse
from gateway.routes import ROUTES

pytestmark = pytest.mark.anyio

ROUTES_BY_PATH = {route.path_format: route for route in ROUTES}


def key(
    path: str,
    values: dict[str, str],
    query: Sequence[tuple[str, str]] = (),
    version: str = "v1",
    *,
    exact: bool = False,
) -> str:
    """The key of a request to the route documented as ``path``: folded, or as typed if ``exact``."""
    route = ROUTES_BY_PATH[path]
    parts = parse(route, values, query).key_parts(exact=exact)
    return cache_key(route.template, parts, version, exact=exact)


MES = "/peliculas_mes/{mes}"
REC = "/recomendaciones/{titulo}"


def test_key_folds_case_and_accents() -> None:
    keys = {key(MES, {"mes": mes}) for mes in ("Enero", "enero", "ENERO", " enero ")}
    assert len(keys) == 1
    pais = "/peliculas_pais/{pais}"
    assert key(pais, {"pais": "México"}) == key(pais, {"pais": "MEXICO"})
    assert key(pais, {"pais": "Estados  Unídos"}) == key(pais, {"pais": "estados unidos"})


def test_key_separates_what_differs() -> None:
    base = key(MES, {"mes": "enero"})
    assert key(MES, {"mes": "febrero"}) != base
    assert key(MES, {"mes": "enero"}, version="v2") != base, "a new data version is a new key"
    assert key("/peliculas_dia/{dia}", {"dia": "enero"}) != base
    assert key(REC, {"titulo": "Heat"}, [("anio", "1995")]) != key(REC, {"titulo": "Heat"})
    # Values that a naive "join with a separator" would confuse.
    two = "/prod_per_county/{tipo}/{pais}/{anio}"
    assert key(two, {"tipo": "a/b", "pais": "c", "anio": "1"}) != key(
        two, {"tipo": "a", "pais": "b/c", "anio": "1"}
    )


def test_key_holds_declared_parameters_only_in_canonical_form() -> None:
    one = key(REC, {"titulo": "Toy Story"}, [("k", "3"), ("catalogo", "Movies")])
    two = key(REC, {"titulo": "toy story"}, [("catalogo", "movies"), ("k", "+03")])
    assert one == two
    assert one.startswith("/recomendaciones/{titulo:path}:")
    # Unknown names (the services read names case-sensitively) are not part of it.
    assert key(REC, {"titulo": "Heat"}, [("K", "1"), ("x", "y")]) == key(REC, {"titulo": "Heat"})
    assert key(REC, {"titulo": "Heat"}, [("k", "1")]) != key(REC, {"titulo": "Heat"})


def test_set_key_ignores_the_order_of_title_year_pairs() -> None:
    route = "/recomendaciones"
    pairs = [("titulos", "Heat"), ("titulos", "Alien"), ("anios", "1995"), ("anios", "")]
    swapped = [("titulos", "alien"), ("titulos", "Heat"), ("anios", ""), ("anios", "1995")]
    assert key(route, {}, pairs) == key(route, {}, swapped)
    # The years travel with their titles: Heat 1979 is another request.
    crossed = [("titulos", "Alien"), ("titulos", "Heat"), ("anios", "1995"), ("anios", "")]
    assert key(route, {}, pairs) != key(route, {}, crossed)
    assert key(route, {}, pairs[:2]) != key(route, {}, [*pairs[:2], ("anios", ""), ("anios", "")])


def test_exact_key_keeps_the_spelling() -> None:
    pais = "/peliculas_pais/{pais}"
    assert key(pais, {"pais": "México"}, exact=True) != key(pais, {"pais": "mexico"}, exact=True)
    assert key(pais, {"pais": "mexico"}, exact=True) != key(pais, {"pais": "mexico"})


def test_cached_response_round_trip() -> None:
    response = CachedResponse(404, "application/json", b'{"detail": {"message": "\xc3\xb1"}}\n')
    assert CachedResponse.loads(response.dumps()) == response


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def sized(size: int, fill: bytes = b"x", key: str = "k") -> CachedResponse:
    """An answer whose entry under ``key`` takes exactly ``size`` bytes of the cache."""
    value = CachedResponse(200, "application/json", b"")
    body = fill * (size - MemoryCache.entry_size(key, value))
    return CachedResponse(200, "application/json", body)


async def test_lru_evicts_least_recently_used_within_its_bytes() -> None:
    cache = MemoryCache(max_bytes=8_000)
    a, b, c = (sized(1_000, fill) for fill in (b"a", b"b", b"c"))
    await cache.set("a", a, 60)
    await cache.set("b", b, 60)
    await cache.set("c", c, 60)
    assert await cache.used_bytes() == 3_000
    assert await cache.get("a") == a  # "a" is now the most recent
    for n in range(5):  # 5 more kB: 8 kB in all, nothing evicted yet
        await cache.set(f"{n}", sized(1_000, key=f"{n}"), 60)
    assert await cache.get("b") == b
    await cache.set("d", sized(1_000, key="d"), 60)  # 9 kB: the least recently used goes
    assert await cache.get("c") is None
    assert await cache.get("a") == a
    assert await cache.used_bytes() == 8_000
    assert len(cache) == 8
    assert await cache.get("missing", "d", "a") == sized(1_000, key="d"), "the first key found"
    assert cache.state() == {
        "backend": "memory",
        "status": "up",
        "entries": 8,
        "bytes": 8_000,
        "max_bytes": 8_000,
    }


async def test_big_answers_never_exceed_the_byte_bound() -> None:
    """The issue's attack: 65 kB paths answered by 130 kB 422 bodies, thousands of them."""
    cache = MemoryCache(max_bytes=2_000_000)
    for n in range(200):
        path = f"/get_contents/{n:05d}" + "x" * 65_000
        body = b'{"detail": {"message": "%s"}}' % path.encode() * 2
        await cache.set(path, CachedResponse(422, "application/json", body), 30)
        assert await cache.used_bytes() <= 2_000_000
    assert 0 < len(cache) <= 2_000_000 // (130_000 + ENTRY_OVERHEAD)
    # One answer larger than an eighth of the cache is not kept at all.
    await cache.set("huge", sized(250_001, key="huge"), 30)
    assert await cache.get("huge") is None
    # Many tiny entries are bounded too: the per-entry overhead counts.
    tiny = MemoryCache(max_bytes=100_000)
    for n in range(10_000):
        await tiny.set(f"{n}", CachedResponse(200, "application/json", b"1"), 60)
    assert await tiny.used_bytes() <= 100_000
    assert len(tiny) < 100_000 // ENTRY_OVERHEAD


async def test_expired_entries_are_evicted_without_being_read() -> None:
    clock = Clock()
    cache = MemoryCache(max_bytes=1_000_000, clock=clock)
    value = CachedResponse(200, "application/json", b"1")
    await cache.set("k", value, 30)
    await cache.set("short", value, 5)
    await cache.set("never", value, 0)
    clock.now = 29.9
    assert await cache.get("k") == value
    assert await cache.get("never") is None
    assert len(cache) == 1, "'short' expired and was dropped though nobody read it"
    clock.now = 30.0
    await cache.set("other", value, 60)  # any write (or read) sweeps what expired
    assert len(cache) == 1
    assert await cache.used_bytes() == MemoryCache.entry_size("other", value)
    # Re-set keys leave stale heap items behind; they never count, and the heap is compacted.
    for n in range(5_000):
        await cache.set("same", value, 1_000 + n)
    assert len(cache) == 2
    assert len(cache._expiries) <= 2 * len(cache) + 1024


def test_blank_redis_url_means_the_embedded_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set but empty, as shell scripts and compose files write it.
    monkeypatch.setenv("REDIS_URL", "")
    assert Settings().redis_url is None
    assert Settings(redis_url="redis://127.0.0.1:6379/3").redis_url is not None

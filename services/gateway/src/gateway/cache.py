"""Response cache: canonical keys, the embedded LRU and the Redis backend."""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Bytes an embedded-cache entry costs beyond its key and body: tuple, dataclass, bytes and str headers,
# the OrderedDict node and the expiry heap item (measured with tracemalloc: ~385 bytes).
ENTRY_OVERHEAD = 400

# What the cache did for a request: answered it, missed it, or was bypassed (no caching, or Redis down).
CacheStatus = Literal["hit", "miss", "bypass"]
CACHE_STATUSES: Final[tuple[CacheStatus, ...]] = ("hit", "miss", "bypass")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A downstream answer as the gateway replays it: status, content type and body bytes.

    ``version`` (not stored) is the data or model version the service reported with the answer;
    ``generated`` marks the gateway's own errors (502/503/504), which are never cached.
    """

    status: int
    content_type: str
    body: bytes
    version: str | None = field(default=None, compare=False)
    generated: bool = field(default=False, compare=False)

    def dumps(self) -> bytes:
        return f"{self.status} {self.content_type}\n".encode("latin-1") + self.body

    @classmethod
    def loads(cls, raw: bytes) -> CachedResponse:
        head, _, body = raw.partition(b"\n")
        status, _, content_type = head.decode("latin-1").partition(" ")
        return cls(int(status), content_type, body)


def cache_key(template: str, parts: str, version: str, *, exact: bool = False) -> str:
    """The canonical request: route template, its canonical parameters, the answering version.

    ``parts`` is :meth:`gateway.params.ParsedRequest.key_parts`: only the declared parameters, in
    canonical form, folded where the service folds (``exact=True``: as typed, the key of 4xx answers).
    The readable template prefixes a digest, which keeps keys short whatever the input.
    """
    canonical = f"{version}\n{parts}"
    digest = hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()
    return f"{template}:{'x:' if exact else ''}{digest}"


class CacheUnavailableError(Exception):
    """The cache backend cannot be used right now: serve uncached (``X-Cache: bypass``)."""


class Cache(Protocol):
    """What the proxy needs from a cache backend."""

    backend: str

    async def get(self, *keys: str) -> CachedResponse | None:
        """The entry of the first key that has one, else None (Redis: one round trip when the first
        key has it, as a hit almost always does)."""
        ...

    async def set(self, key: str, value: CachedResponse, ttl: float) -> None: ...

    async def ping(self) -> bool:
        """Can the cache be used now (checked by /health, /health/ready and at startup)."""
        ...

    async def used_bytes(self) -> int | None:
        """Bytes the cache holds (for the size metric), or None when it cannot tell now."""
        ...

    def state(self) -> dict[str, Any]: ...

    async def close(self) -> None: ...


class MemoryCache:
    """The embedded cache: an in-process LRU bounded in bytes, each entry with its own expiry.

    An entry's size is its key, content type and body plus :data:`ENTRY_OVERHEAD` (the Python objects
    around them), so the bound holds for many small entries too. Expired entries are dropped as soon as
    the next read or write sees them in the expiry heap, not only when they are read again.
    """

    backend = "memory"

    def __init__(self, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[str, tuple[float, CachedResponse, int]] = OrderedDict()
        self._expiries: list[tuple[float, str]] = []  # heap; stale items are skipped
        self._max_bytes = max_bytes
        self._bytes = 0
        self._clock = clock

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def entry_size(key: str, value: CachedResponse) -> int:
        return len(key) + len(value.content_type) + len(value.body) + ENTRY_OVERHEAD

    def _drop(self, key: str) -> None:
        _, _, size = self._entries.pop(key)
        self._bytes -= size

    def _evict_expired(self, now: float) -> None:
        heap = self._expiries
        while heap and heap[0][0] <= now:
            expires, key = heapq.heappop(heap)
            entry = self._entries.get(key)
            if entry is not None and entry[0] == expires:
                self._drop(key)
        if len(heap) > 2 * len(self._entries) + 1024:
            # Items of entries evicted or replaced since: rebuild rather than let them pile up.
            self._expiries = [(expires, key) for key, (expires, _, _) in self._entries.items()]
            heapq.heapify(self._expiries)

    async def get(self, *keys: str) -> CachedResponse | None:
        self._evict_expired(self._clock())
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                continue
            self._entries.move_to_end(key)
            return entry[1]
        return None

    async def set(self, key: str, value: CachedResponse, ttl: float) -> None:
        size = self.entry_size(key, value)
        if ttl <= 0 or size > self._max_bytes // 8:
            return  # one answer never takes more than an eighth of the cache
        now = self._clock()
        self._evict_expired(now)
        if key in self._entries:
            self._drop(key)
        expires = now + ttl
        self._entries[key] = (expires, value, size)
        self._bytes += size
        heapq.heappush(self._expiries, (expires, key))
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))

    async def ping(self) -> bool:
        return True  # in process: always usable

    async def used_bytes(self) -> int:
        """Bytes held: keys, content types and bodies, plus a measured per-entry overhead."""
        return self._bytes

    def state(self) -> dict[str, Any]:
        self._evict_expired(self._clock())
        return {
            "backend": self.backend,
            "status": "up",
            "entries": len(self._entries),
            "bytes": self._bytes,
            "max_bytes": self._max_bytes,
        }

    async def close(self) -> None:
        self._entries.clear()
        self._expiries.clear()
        self._bytes = 0


class RedisCache:
    """Redis backend that degrades instead of failing.

    Any Redis error marks it down: one WARNING for the whole outage, every request bypasses it for
    ``retry_seconds``, then the next request tries it again (the others keep bypassing meanwhile);
    the first success logs that it is back. No client-side retries: a dead Redis must cost a request
    at most one ``timeout``.
    """

    backend = "redis"

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        timeout: float,
        retry_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._timeout = timeout
        self._clock = clock
        self._client = aioredis.Redis.from_url(
            url,
            # Reads are bounded by asyncio.timeout() in the calls below instead: redis-py's own
            # socket_timeout wraps every send in asyncio.wait_for, one extra task per command.
            socket_timeout=None,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        # Commands in flight: the others wait here (cheap) rather than on redis-py's pool, which
        # gets slow with many waiters (measured in bench/gateway: p99 /5 at 50 concurrent clients).
        self._in_flight = asyncio.Semaphore(8)
        self._down = False
        self._retry_at = 0.0
        self._last_error = ""

    def _check(self) -> None:
        if self._down:
            now = self._clock()
            if now < self._retry_at:
                raise CacheUnavailableError(self._last_error)
            # This request probes Redis; concurrent ones keep bypassing until it answers.
            self._retry_at = now + self._retry_seconds

    def _failed(self, exc: BaseException) -> CacheUnavailableError:
        self._last_error = f"{type(exc).__name__}: {exc}"
        self._retry_at = self._clock() + self._retry_seconds
        if not self._down:
            self._down = True
            log.warning(
                "Redis at %s unreachable (%s): serving uncached (X-Cache: bypass), retrying every %.1f s",
                _redact(self._url),
                self._last_error,
                self._retry_seconds,
            )
        return CacheUnavailableError(self._last_error)

    def _succeeded(self) -> None:
        if self._down:
            self._down = False
            log.info("Redis at %s is back: caching again", _redact(self._url))

    async def get(self, *keys: str) -> CachedResponse | None:
        self._check()
        try:
            async with self._in_flight, asyncio.timeout(self._timeout):
                # The first key (a 2xx answer's) is what a hit almost always finds: a plain GET,
                # cheaper than MGET; the others (4xx answers' exact keys) only on a miss.
                found = [await self._client.get(self._prefix + keys[0])]
                if found[0] is None and len(keys) > 1:
                    found = await self._client.mget([self._prefix + key for key in keys[1:]])
        except (TimeoutError, RedisError, OSError) as exc:
            raise self._failed(exc) from exc
        self._succeeded()
        for raw in found:
            if raw is not None:
                return CachedResponse.loads(
                    raw if isinstance(raw, bytes) else raw.encode("latin-1")
                )
        return None

    async def set(self, key: str, value: CachedResponse, ttl: float) -> None:
        if ttl <= 0:
            return
        self._check()
        try:
            async with self._in_flight, asyncio.timeout(self._timeout):
                await self._client.set(
                    self._prefix + key, value.dumps(), px=max(1, round(ttl * 1000))
                )
        except (TimeoutError, RedisError, OSError) as exc:
            raise self._failed(exc) from exc
        self._succeeded()

    async def ping(self) -> bool:
        """Check Redis now (used by /health and at startup); updates the up/down state."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.ping()
        except (TimeoutError, RedisError, OSError) as exc:
            self._failed(exc)
            return False
        self._succeeded()
        return True

    async def clear(self) -> int:
        """Delete every key under this cache's prefix (and only those); returns how many."""
        deleted = 0
        async for key in self._client.scan_iter(match=self._prefix + "*", count=500):
            deleted += int(await self._client.delete(key))
        return deleted

    async def used_bytes(self) -> int | None:
        """The server's ``used_memory`` (INFO memory), or None when Redis does not answer."""
        try:
            async with self._in_flight, asyncio.timeout(self._timeout):
                info = await self._client.info("memory")
        except (TimeoutError, RedisError, OSError):
            return None
        return int(info["used_memory"])

    def state(self) -> dict[str, Any]:
        """For the public /health: no address, and an error named by its type only (the full
        message, which names the host and port, is in the log)."""
        state: dict[str, Any] = {"backend": self.backend, "status": "down" if self._down else "up"}
        if self._down:
            state["error"] = self._last_error.partition(":")[0]
        return state

    async def close(self) -> None:
        await self._client.aclose()


def _redact(url: str) -> str:
    """The URL without its password, for logs."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.partition(":")[0]
    return f"{scheme}{sep}{user + ':***' if user else '***'}@{host}"

"""Response cache: canonical keys, the embedded LRU, the Redis backend and single-flight for misses."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from cinemateca_common.text import fold

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A downstream answer as the gateway replays it: status, content type and body bytes."""

    status: int
    content_type: str
    body: bytes

    def dumps(self) -> bytes:
        return f"{self.status} {self.content_type}\n".encode("latin-1") + self.body

    @classmethod
    def loads(cls, raw: bytes) -> CachedResponse:
        head, _, body = raw.partition(b"\n")
        status, _, content_type = head.decode("latin-1").partition(" ")
        return cls(int(status), content_type, body)


def cache_key(
    template: str,
    path_values: Sequence[str],
    query: Iterable[tuple[str, str]],
    version: str,
    *,
    exact: bool = False,
) -> str:
    """The canonical request: route template, folded path values, sorted folded query, data version.

    ``/peliculas_mes/Enero`` and ``/peliculas_mes/ENERO`` give one key; a new downstream version gives
    another. ``exact=True`` keeps the values as typed (the key of 4xx answers: "２０２０" folds to
    "2020" but is not a valid year). The readable template prefixes a digest, which keeps keys short
    whatever the input.
    """
    norm = (lambda text: text) if exact else fold
    canonical = json.dumps(
        [
            version,
            [norm(value) for value in path_values],
            sorted((norm(name), norm(value)) for name, value in query),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()
    return f"{template}:{'x:' if exact else ''}{digest}"


class CacheUnavailableError(Exception):
    """The cache backend cannot be used right now: serve uncached (``X-Cache: bypass``)."""


class Cache(Protocol):
    """What the proxy needs from a cache backend."""

    backend: str

    async def get(self, *keys: str) -> CachedResponse | None:
        """The entry of the first key that has one (one round trip), else None."""
        ...

    async def set(self, key: str, value: CachedResponse, ttl: float) -> None: ...

    def state(self) -> dict[str, Any]: ...

    async def close(self) -> None: ...


class MemoryCache:
    """The embedded cache: an in-process LRU bounded in entries, each entry with its own expiry."""

    backend = "memory"

    def __init__(self, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[str, tuple[float, CachedResponse]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        """Bytes of the entries' keys, content types and bodies."""
        return sum(
            len(k) + len(v.content_type) + len(v.body) for k, (_, v) in self._entries.items()
        )

    async def get(self, *keys: str) -> CachedResponse | None:
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                continue
            expires, value = entry
            if expires <= self._clock():
                del self._entries[key]
                continue
            self._entries.move_to_end(key)
            return value
        return None

    async def set(self, key: str, value: CachedResponse, ttl: float) -> None:
        if ttl <= 0:
            return
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def state(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "status": "up",
            "entries": len(self._entries),
            "max_entries": self._max_entries,
        }

    async def close(self) -> None:
        self._entries.clear()


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

    @property
    def is_down(self) -> bool:
        return self._down

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
                if len(keys) == 1:
                    found = [await self._client.get(self._prefix + keys[0])]
                else:
                    found = await self._client.mget([self._prefix + key for key in keys])
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

    async def used_memory(self) -> int | None:
        """The server's ``used_memory`` (INFO memory), or None when Redis does not answer."""
        try:
            async with self._in_flight, asyncio.timeout(self._timeout):
                info = await self._client.info("memory")
        except (TimeoutError, RedisError, OSError):
            return None
        return int(info["used_memory"])

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "backend": self.backend,
            "status": "down" if self._down else "up",
            "url": _redact(self._url),
        }
        if self._down:
            state["error"] = self._last_error
        return state

    async def close(self) -> None:
        await self._client.aclose()


def _redact(url: str) -> str:
    """The URL without its password, for logs and /health."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.partition(":")[0]
    return f"{scheme}{sep}{user + ':***' if user else '***'}@{host}"


class SingleFlight(Generic[T]):
    """Concurrent calls with one key share one execution of the work (one downstream request).

    The work runs as its own task, so a caller that goes away (client disconnect) does not cancel
    it for the others.
    """

    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[T]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    async def do(self, key: str, work: Callable[[], Coroutine[Any, Any, T]]) -> tuple[T, bool]:
        """Run ``work`` once for all concurrent callers of ``key``; returns (result, shared)."""
        task = self._tasks.get(key)
        shared = task is not None
        if task is None:
            task = asyncio.create_task(work())
            self._tasks[key] = task
            task.add_done_callback(lambda done: self._done(key, done))
        return await asyncio.shield(task), shared

    def _done(self, key: str, task: asyncio.Task[T]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so no "exception was never retrieved" if all left

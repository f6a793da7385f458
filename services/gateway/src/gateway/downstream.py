"""One downstream service: its HTTP client, its last known health, version and OpenAPI document.

The client is aiohttp's: at 50 concurrent requests its connection pool costs the same per request
whatever the queue, where httpx/httpcore's pool does work proportional to its waiters on every
request (measured in services/gateway/README.md, "Forwarding client").
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
from multidict import CIMultiDictProxy
from pydantic import ValidationError
from yarl import URL

from cinemateca_common.health import ServiceHealth
from gateway.routes import Service

log = logging.getLogger(__name__)

#: What ``cinemateca_downstream_errors_total`` counts: no answer in time, no connection, HTTP 5xx.
ErrorKind = Literal["timeout", "unreachable", "5xx"]
ERROR_KINDS: tuple[ErrorKind, ...] = ("timeout", "unreachable", "5xx")
# Below uvicorn's 5 s keep-alive: the gateway drops an idle connection before the service does, so
# a request never goes out on a connection the service is closing.
KEEPALIVE_SECONDS = 4.0


def client_session(max_connections: int, connect_timeout: float) -> aiohttp.ClientSession:
    """A session with up to ``max_connections`` keep-alive connections (more requests wait for one).

    No overall timeout here: the caller bounds each request (waiting for a connection included).
    """
    connector = aiohttp.TCPConnector(
        limit=max_connections,
        limit_per_host=max_connections,
        keepalive_timeout=KEEPALIVE_SECONDS,
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,  # bodies are replayed byte for byte
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """A downstream answer, read whole."""

    status_code: int
    headers: CIMultiDictProxy[str]
    content: bytes


class Downstream:
    """The gateway's view of a downstream: refreshed from its ``/health`` by :class:`VersionWatcher`.

    ``version`` is the last version the service reported; it stays set while the service is down, so
    answers cached for that version keep being served, and it changes as soon as a refresh sees a new
    one, which moves every cache key of the service (old entries are never read again).
    """

    def __init__(
        self,
        name: Service,
        url: str,
        session: aiohttp.ClientSession,
        *,
        health_timeout: float,
        control: aiohttp.ClientSession | None = None,
    ) -> None:
        self.name: Service = name
        self.url = url.rstrip("/")
        self.session = session
        # /health and /openapi.json on connections of their own: never queued behind proxied requests.
        self._control = control or session
        self._health_timeout = health_timeout
        self.errors: Counter[ErrorKind] = Counter(dict.fromkeys(ERROR_KINDS, 0))
        self.up = False
        self.version: str | None = None
        self.health: ServiceHealth | None = None
        self.error: str | None = None
        self.openapi: dict[str, Any] | None = None
        self._failure = asyncio.Event()

    @property
    def failure(self) -> asyncio.Event:
        """Set when a proxied request failed: the watcher re-checks the version at once."""
        return self._failure

    def report_failure(self) -> None:
        self._failure.set()

    def record_error(self, kind: ErrorKind) -> None:
        """Count a failed proxied request and have the watcher re-check the service at once."""
        self.errors[kind] += 1
        self.report_failure()

    async def get(self, target: str, request_id: str) -> Answer:
        """GET ``target`` (path and query, already percent-encoded: sent exactly as given)."""
        url = URL(self.url + target, encoded=True)
        # identity: the body is replayed as is, and only the content type goes with it.
        headers = {"x-request-id": request_id, "accept-encoding": "identity"}
        async with self.session.get(url, headers=headers, allow_redirects=False) as response:
            return Answer(response.status, response.headers, await response.read())

    async def _get_json(self, path: str) -> tuple[int, Any]:
        async with (
            asyncio.timeout(self._health_timeout),
            self._control.get(URL(self.url + path, encoded=True)) as response,
        ):
            return response.status, await response.json(content_type=None)

    async def refresh(self) -> None:
        """Poll ``/health``; on a new version, fetch ``/openapi.json`` again."""
        try:
            status, body = await self._get_json("/health")
            if status != 200:
                raise ValueError(f"/health answered HTTP {status}")
            health = ServiceHealth.model_validate(body)
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) or "body" for e in exc.errors())
            self._mark_down(f"ValidationError: /health body invalid ({fields})")
            return
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            self._mark_down(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            return
        version = health.version
        if not self.up:
            log.info("%s service up at %s, version %s", self.name, self.url, version)
        elif version != self.version:
            log.info("%s service version changed: %s -> %s", self.name, self.version, version)
        changed = version != self.version
        self.up, self.error, self.health, self.version = True, None, health, version
        if changed or self.openapi is None:
            await self._fetch_openapi()

    def _mark_down(self, error: str) -> None:
        if self.up or self.error is None:
            log.warning("%s service at %s is down: %s", self.name, self.url, error)
        self.up, self.error = False, error

    async def _fetch_openapi(self) -> None:
        try:
            status, spec = await self._get_json("/openapi.json")
            if status != 200:
                raise ValueError(f"HTTP {status}")
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("%s /openapi.json not fetched (%s): keeping the last known", self.name, exc)
            return
        if isinstance(spec, dict) and isinstance(spec.get("paths"), dict):
            self.openapi = spec

    def status(self) -> dict[str, Any]:
        """This service's part of the gateway's public /health (its internal URL stays in the log)."""
        extras = self.health.extras() if self.health is not None else {}
        state: dict[str, Any] = {"status": "ok" if self.up else "down", **extras}
        state["version"] = self.version
        if self.error is not None:
            state["error"] = self.error
        return state


class VersionWatcher:
    """Background task: re-reads every downstream's version periodically and right after a failure."""

    def __init__(self, downstreams: list[Downstream], every: float, retry_every: float) -> None:
        self._downstreams = downstreams
        self._every = every
        self._retry_every = retry_every
        self._task: asyncio.Task[None] | None = None

    async def refresh_all(self) -> None:
        await asyncio.gather(*(d.refresh() for d in self._downstreams))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-version-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                await self.refresh_all()
            except Exception:  # a bug here must not stop version tracking for good
                log.exception("version refresh failed")
            for d in self._downstreams:
                d.failure.clear()
            every = self._every if all(d.up for d in self._downstreams) else self._retry_every
            waits = [asyncio.create_task(d.failure.wait()) for d in self._downstreams]
            _, pending = await asyncio.wait(waits, timeout=every, return_when="FIRST_COMPLETED")
            for task in pending:
                task.cancel()
            # A burst of failures triggers one refresh per retry interval, not one per request.
            await asyncio.sleep(max(0.0, started + self._retry_every - loop.time()))

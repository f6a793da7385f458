"""Forwarding with the cache in front: hit, miss (one downstream call per key) or bypass; error mapping."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import aiohttp

from cinemateca_common.web import echo
from gateway.cache import Cache, CachedResponse, CacheStatus, CacheUnavailableError, cache_key
from gateway.downstream import Downstream
from gateway.params import ParsedRequest, no_route
from gateway.routes import VERSION_HEADERS, Route, Service
from gateway.singleflight import SingleFlight

log = logging.getLogger(__name__)

JSON = "application/json"


def _segment(value: str) -> str:
    """One path value as one segment: percent-encoded ("/" too), and never a dot segment."""
    return quote(value, safe="") if value not in (".", "..") else value.replace(".", "%2E")


@dataclass(frozen=True, slots=True)
class ProxyRequest:
    """What the proxy needs of an incoming request: its declared parameters, parsed, and its id."""

    parsed: ParsedRequest
    path: str  # percent-decoded, as routed (for logs)
    request_id: str

    @property
    def route(self) -> Route:
        return self.parsed.route

    @property
    def target(self) -> str:
        """Path and query re-encoded for the downstream: canonical values, ASCII, one segment each.

        A title such as "Face/Off" (typed raw or as %2F) leaves as ``Face%2FOff``: the service reads
        one value either way, and nothing between the two can mistake it for two segments.
        """
        target = self.route.fill([_segment(value) for value in self.parsed.path_values])
        if self.parsed.query:
            target += "?" + urlencode(self.parsed.query, quote_via=quote)
        return target


def error_response(status: int, message: str, service: str) -> CachedResponse:
    """A gateway error in the shared shape: ``{"detail": {"message": ..., "service": ...}}``."""
    body = json.dumps({"detail": {"message": message, "service": service}}, ensure_ascii=False)
    return CachedResponse(status, JSON, body.encode(), generated=True)


class Proxy:
    """Answers a public route from the cache or its downstream service.

    Caching: 2xx for ``ttl`` seconds under the folded key (every spelling shares it), downstream 4xx
    for ``ttl_4xx`` seconds under the exact key (a burst of one bad request is absorbed, and a spelling
    the service rejects never answers for one it accepts), gateway errors (502/503/504) never. Any
    content type (the HTML reports too). Lookups use the version last polled; an answer is stored
    under the version the service named in its response header, and not at all without one, so an
    entry of version V was always computed by V.
    """

    def __init__(
        self,
        downstreams: Mapping[Service, Downstream],
        cache: Cache,
        *,
        ttl: float,
        ttl_4xx: float,
        timeout: float,
    ) -> None:
        self._downstreams = downstreams
        self._cache = cache
        self._ttl = ttl
        self._ttl_4xx = ttl_4xx
        self._timeout = timeout
        self._flight: SingleFlight[CachedResponse] = SingleFlight()

    def _ttl_for(self, status: int) -> float:
        if 200 <= status < 300:
            return self._ttl
        if 400 <= status < 500:
            return self._ttl_4xx
        return 0.0

    async def handle(self, request: ProxyRequest) -> tuple[CachedResponse, CacheStatus]:
        downstream = self._downstreams[request.route.service]
        version = downstream.version
        if self._ttl <= 0 or version is None:
            # No cache, or no known version to key it by (service not seen yet): never guess.
            return await self._answer(downstream, request), "bypass"
        key = self._key(request, version, exact=False)
        exact_key = self._key(request, version, exact=True)
        try:
            cached = await self._cache.get(key, exact_key)
        except CacheUnavailableError:
            response, _ = await self._flight.do(key, lambda: self._answer(downstream, request))
            return response, "bypass"
        if cached is not None:
            return cached, "hit"
        response, _ = await self._flight.do(key, lambda: self._fill(downstream, request))
        return response, "bypass" if response.generated else "miss"

    @staticmethod
    def _key(request: ProxyRequest, version: str, *, exact: bool) -> str:
        """The request's key under ``version``: folded for 2xx answers, exact for 4xx answers."""
        parts = request.parsed.key_parts(exact=exact)
        return cache_key(request.route.template, parts, version, exact=exact)

    async def _fill(self, downstream: Downstream, request: ProxyRequest) -> CachedResponse:
        response = await self._answer(downstream, request)
        ttl = self._ttl_for(response.status)
        if ttl > 0 and response.version is not None and not response.generated:
            if response.version != downstream.version:
                # Computed by a version the gateway has not polled yet: stored under its own
                # version (never under the one looked up), and the watcher re-reads it now.
                downstream.report_failure()
            # Only the key this answer is stored under (2xx folded, 4xx exact).
            key = self._key(request, response.version, exact=response.status >= 300)
            # A failed store was logged once by the backend; the answer is still good.
            with contextlib.suppress(CacheUnavailableError):
                await self._cache.set(key, response, ttl)
        return response

    async def _answer(self, downstream: Downstream, request: ProxyRequest) -> CachedResponse:
        """The downstream's answer, every 4xx in the shared error shape."""
        response = await self._forward(downstream, request)
        if response.generated or not 400 <= response.status < 500:
            return response
        try:
            detail = json.loads(response.body)["detail"]
        except (ValueError, KeyError, TypeError):
            detail = None
        if isinstance(detail, dict) and isinstance(detail.get("message"), str):
            return response
        # Starlette's own {"detail": "Not Found"} (a path the service does not route) and the like.
        if response.status == 404:
            message = no_route("GET", request.path)
        else:
            message = f"el servicio {downstream.name} rechazó la petición (HTTP {response.status})"
        body = json.dumps({"detail": {"message": message}}, ensure_ascii=False).encode()
        return CachedResponse(response.status, JSON, body, response.version)

    async def _forward(self, downstream: Downstream, request: ProxyRequest) -> CachedResponse:
        name = downstream.name
        try:
            # One deadline for waiting for a connection and for the answer.
            async with asyncio.timeout(self._timeout):
                response = await downstream.get(request.target, request.request_id)
        except aiohttp.ConnectionTimeoutError:
            downstream.record_error("unreachable")
            return error_response(
                503, f"el servicio {name} no responde (tiempo de conexión agotado)", name
            )
        except TimeoutError:
            downstream.record_error("timeout")
            return error_response(
                504, f"el servicio {name} no respondió en {self._timeout:g} s", name
            )
        except aiohttp.ClientError as exc:
            downstream.record_error("unreachable")
            log.debug("%s unreachable: %r", name, exc)
            return error_response(503, f"el servicio {name} no responde", name)
        if response.status_code >= 500:
            downstream.record_error("5xx")
            log.warning(
                "%s answered HTTP %d to %s (request %s)",
                name,
                response.status_code,
                request.path,
                request.request_id,
            )
            return error_response(
                502, f"el servicio {name} falló (HTTP {response.status_code})", name
            )
        if 300 <= response.status_code < 400:
            # Never passed on: its Location names the service's internal address. A service
            # redirects a path it does not route as such (e.g. a route it does not have yet).
            return error_response(
                404, f"el servicio {name} no tiene la ruta {echo(request.path)}", name
            )
        if downstream.version is None:
            downstream.report_failure()  # it answers, so learn its version now
        content_type = response.headers.get("content-type", JSON)
        version = response.headers.get(VERSION_HEADERS[name])
        return CachedResponse(response.status_code, content_type, response.content, version)

"""FastAPI glue shared by the services: the one error shape, request ids, metrics, access lines, probes."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cinemateca_common import logs
from cinemateca_common.errors import DomainError
from cinemateca_common.metrics import CONTENT_TYPE, UNMATCHED, HttpMetrics, route_label


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, Any]] = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        errors.append({"loc": loc, "msg": err.get("msg"), "type": err.get("type")})
    names = ", ".join(e["loc"][-1] for e in errors if e["loc"]) or "request"
    content = {"detail": {"message": f"invalid value for {names}", "errors": errors}}
    return JSONResponse(status_code=422, content=jsonable_encoder(content))


def install_error_handlers(app: FastAPI) -> None:
    """Map DomainError subclasses to their status and request validation to the shared 422 shape."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


# -- request ids, access lines, metrics and probes ------------------------------------------------

REQUEST_ID_HEADER = b"x-request-id"
# Anything else (too long, spaces, control characters) is replaced, never echoed into a header.
_VALID_ID = re.compile(rb"[A-Za-z0-9._:/+=-]{1,128}")
#: Polled by supervisors and orchestrators every few seconds: their access lines go to DEBUG.
PROBE_PATHS: Final = frozenset({"/health", "/health/live", "/health/ready", "/metrics"})

# Methods as labels; any other (h11 accepts any token) is "OTHER", so clients cannot add label values.
_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

#: What ``/health/ready`` checks: named checks, each true when it passes.
ReadinessCheck = Callable[[Request], Awaitable[dict[str, bool]]]


class RequestMiddleware:
    """Request id, metrics and the access line of every HTTP request (plain ASGI: no per-request task).

    The id is the caller's ``X-Request-ID`` when well-formed (the gateway's, so one id follows a request
    across services), else a new one; it goes to ``request.state.request_id``, to the
    :data:`~cinemateca_common.logs.request_id` context variable (every log line of the request) and to
    the answer's header.
    """

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self._labels: dict[object, str] = {}

    def _route(self, scope: Scope) -> str:
        """The matched route's template, found once per endpoint. FastAPI records its own routes in
        ``scope["route"]``; plain Starlette routes (the gateway's) are looked up by their endpoint."""
        route, endpoint = scope.get("route"), scope.get("endpoint")
        if endpoint is None:
            return UNMATCHED
        # Routes define __eq__ without __hash__: keyed by identity (they live as long as the app).
        key = id(route) if route is not None else endpoint
        label = self._labels.get(key)
        if label is None:
            if route is None:
                routes = getattr(scope.get("app"), "routes", ())
                route = next((r for r in routes if getattr(r, "endpoint", None) is endpoint), None)
            label = self._labels[key] = route_label(route)
        return label

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = b""
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER and _VALID_ID.fullmatch(value):
                rid = value
                break
        if not rid:
            rid = os.urandom(16).hex().encode()  # a random 128-bit id, as uuid4().hex but cheaper
        text_id = rid.decode()
        scope.setdefault("state", {})["request_id"] = text_id
        token = logs.request_id.set(text_id)
        status = 500  # what the server answers when the app raises before starting its answer

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER
                ]
                headers.append((REQUEST_ID_HEADER, rid))
                message = {**message, "headers": headers}
            await send(message)

        self.metrics.in_flight += 1
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.in_flight -= 1
            self._finish(scope, status, time.perf_counter() - started)
        # Left set when the app raised: the server's error line that follows then carries the id
        # too (each request runs in a task, and so a context, of its own).
        logs.request_id.reset(token)

    def _finish(self, scope: Scope, status: int, seconds: float) -> None:
        route = self._route(scope)
        method = scope["method"]
        self.metrics.observe(method if method in _METHODS else "OTHER", route, status, seconds)
        path = scope["path"]
        level = logging.DEBUG if path in PROBE_PATHS else logging.INFO
        if logs.access_log.isEnabledFor(level):
            logs.access_log.log(
                level,
                "%s %s %d %.1f ms",
                method,
                path,
                status,
                seconds * 1000,
                extra={
                    "method": method,
                    "route": route,
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )


def install_observability(
    app: FastAPI,
    metrics: HttpMetrics,
    ready: ReadinessCheck,
    before_scrape: Callable[[Request], Awaitable[None]] | None = None,
) -> None:
    """The request middleware, ``/metrics``, ``/health/live`` and ``/health/ready`` (200 or 503).

    Liveness answers 200 whenever the process and its event loop answer; readiness runs ``ready``
    and answers 200 when every check passes, else 503 with the failed checks named in
    ``detail.message``. ``before_scrape`` updates what must be read asynchronously (Redis).
    """
    app.add_middleware(RequestMiddleware, metrics=metrics)

    @app.get("/health/live", include_in_schema=False)
    async def live() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/health/ready", include_in_schema=False)
    async def readiness(request: Request) -> JSONResponse:
        checks = await ready(request)
        if all(checks.values()):
            return JSONResponse({"status": "ok", "checks": checks})
        failed = ", ".join(name for name, ok in checks.items() if not ok)
        body = {
            "status": "unavailable",
            "checks": checks,
            "detail": {"message": f"el servicio no está listo: falla {failed}"},
        }
        return JSONResponse(body, status_code=503)

    @app.get("/metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        if before_scrape is not None:
            await before_scrape(request)
        return Response(metrics.render(), media_type=CONTENT_TYPE)

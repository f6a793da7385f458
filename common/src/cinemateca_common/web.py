"""FastAPI glue shared by the services: the one error shape in Spanish, request ids, metrics, probes.

A request that fails validation answers 422 with one sentence per bad parameter, built from the
route's own declaration ("El parámetro 'k' debe ser un número entero entre 1 y 50; se recibió
'abc'."), never pydantic's English. The OpenAPI document of every route shows that real body.
"""

from __future__ import annotations

import logging
import os
import re
import time
import types
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Final, Literal, Union, get_args, get_origin

from fastapi import FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.telemetry import TelemetryConfig
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cinemateca_common import logs
from cinemateca_common.contract import EDITIONS, Edition
from cinemateca_common.errors import VALIDATION_EXAMPLE, DomainError, ErrorBody, InvalidValueError
from cinemateca_common.metrics import CONTENT_TYPE, UNMATCHED, HttpMetrics, route_label
from cinemateca_common.startup import StartupGuard
from cinemateca_common.text import fold


class _LinePath(PathConvertor):
    """``{name:path}`` that also matches line breaks (Starlette's ``.*`` stops at one).

    Catalogue titles can hold a line break ("the memphis belle: a story of a\\r\\nflying fortress"),
    and such a title must still reach its route. Registered under ``path`` on import, before any
    route is declared by a module that imports this one.
    """

    regex = r"[\s\S]*"


register_url_convertor("path", _LinePath())

# Input echoed in an error body (``value``, the message quoting it) is cut to about this many
# characters: a 65 kB path must not give a 130 kB answer.
MAX_ECHO = 200


def echo(text: Any, limit: int = MAX_ECHO) -> Any:
    """``text`` as an error body may quote it: a string over ``limit`` characters is cut, with "…"."""
    return text[:limit] + "…" if isinstance(text, str) and len(text) > limit else text


_NUMBER_TYPES = {int: "un número entero", float: "un número finito"}
_BOUND_WORDS = {
    "ge": "mayor o igual que",
    "gt": "mayor que",
    "le": "menor o igual que",
    "lt": "menor que",
}
_BOUND_ERRORS = {
    "greater_than_equal": "ge",
    "greater_than": "gt",
    "less_than_equal": "le",
    "less_than": "lt",
}


def _plain_type(annotation: Any) -> Any:
    """``int | None`` -> ``int``; other annotations unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _constraints(field_info: Any) -> dict[str, Any]:
    """ge/gt/le/lt, min_length/max_length and pattern of a parameter, from its metadata."""
    found: dict[str, Any] = {}
    for item in getattr(field_info, "metadata", ()):
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _route_params(request: Request) -> Iterator[Any]:
    """Every parameter (a FastAPI ModelField) of the matched route, dependencies included."""
    route = request.scope.get("route")
    stack = [getattr(route, "dependant", None)]
    while stack:
        dependant = stack.pop()
        if dependant is None:
            continue
        for group in ("path_params", "query_params", "header_params", "cookie_params"):
            yield from getattr(dependant, group, ())
        stack.extend(getattr(dependant, "dependencies", ()))


def _number_range(noun: str, bounds: dict[str, Any]) -> str:
    if "ge" in bounds and "le" in bounds:
        return f"{noun} entre {bounds['ge']} y {bounds['le']}"
    parts = [f"{words} {bounds[name]}" for name, words in _BOUND_WORDS.items() if name in bounds]
    return f"{noun} {' y '.join(parts)}" if parts else noun


def _text_length(bounds: dict[str, Any]) -> str:
    low, high = bounds.get("min_length"), bounds.get("max_length")
    if low is not None and high is not None:
        return f"un texto de {low} a {high} caracteres"
    if low is not None:
        return f"un texto de al menos {low} caracteres"
    if high is not None:
        return f"un texto de hasta {high} caracteres"
    return "un texto"


def _expectation(annotation: Any, bounds: dict[str, Any], error: dict[str, Any]) -> str:
    """What a valid value looks like, in Spanish, from the declaration (else from the error)."""
    kind = _plain_type(annotation)
    ctx = error.get("ctx") or {}
    if get_origin(kind) is Literal:
        return "uno de: " + ", ".join(map(str, get_args(kind)))
    if kind is bool:
        return "verdadero o falso (true o false)"
    if kind in _NUMBER_TYPES:
        return _number_range(_NUMBER_TYPES[kind], bounds)
    if kind is str:
        text = _text_length(bounds)
        if bounds.get("pattern") == r"\S":
            return f"{text} con al menos un carácter que no sea un espacio"
        if "pattern" in bounds:
            return f"{text} con la forma {bounds['pattern']}"
        return text
    # Unknown declaration: describe from the error alone.
    error_type = str(error.get("type", ""))
    if error_type.startswith("int_"):
        return "un número entero"
    if error_type.startswith(("float_", "finite_")):
        return "un número"
    if error_type in _BOUND_ERRORS:
        return _number_range("un número", {k: v for k, v in ctx.items() if k in _BOUND_WORDS})
    return "un valor válido"


def _valid_values(annotation: Any) -> list[Any] | None:
    kind = _plain_type(annotation)
    return list(get_args(kind)) if get_origin(kind) is Literal else None


def _parameter_error(name: str, value: Any, expected: str, *, missing: bool) -> dict[str, Any]:
    if missing:
        message = f"Falta el parámetro obligatorio '{name}': debe ser {expected}."
    else:
        message = f"El parámetro '{name}' debe ser {expected}; se recibió '{value}'."
    return {"parameter": name, "value": value, "message": message}


def _describe(error: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """One parameter error: its name, the value received and a Spanish sentence."""
    loc = [str(part) for part in error.get("loc", ())]
    name = loc[-1] if len(loc) > 1 else (loc[0] if loc else "petición")
    field = params.get(name)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    bounds = _constraints(getattr(field, "field_info", None))
    expected = _expectation(annotation, bounds, error)
    missing = error.get("type") == "missing"
    value = None if missing else echo(error.get("input"))
    out = _parameter_error(name, value, expected, missing=missing)
    valid = _valid_values(annotation)
    if valid is not None:
        out["valid_values"] = valid
    return out


def validation_detail(request: Request, exc: RequestValidationError) -> dict[str, Any]:
    """The ``detail`` of a 422 for ``exc``: the first bad parameter's extras, every sentence."""
    params = {getattr(p, "alias", None) or p.name: p for p in _route_params(request)}
    errors = [_describe(dict(err), params) for err in exc.errors()]
    if not errors:  # pragma: no cover - pydantic always reports at least one error
        errors = [{"parameter": "petición", "value": None, "message": "La petición no es válida."}]
    return _detail(errors)


def _detail(errors: list[dict[str, Any]]) -> dict[str, Any]:
    first = errors[0]
    detail: dict[str, Any] = {
        "message": " ".join(dict.fromkeys(e["message"] for e in errors)),
        "parameter": first["parameter"],
        "value": first["value"],
    }
    if "valid_values" in first:
        detail["valid_values"] = first["valid_values"]
    detail["errors"] = errors
    return detail


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    detail = {key: echo(value) for key, value in exc.detail.items()}
    # The message may quote the input and something after it: a little more room.
    detail["message"] = echo(exc.message, 2 * MAX_ECHO)
    return JSONResponse(status_code=exc.status_code, content={"detail": detail})


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    content = {"detail": validation_detail(request, exc)}
    return JSONResponse(status_code=422, content=jsonable_encoder(content))


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (no such route, wrong method) in the one shape, in Spanish."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        message = f"No existe la ruta {echo(request.url.path)}: las rutas están en /docs."
    elif exc.status_code == 405:
        message = f"El método {request.method} no está permitido en {echo(request.url.path)}."
    else:
        message = f"Error {exc.status_code}: {exc.detail}"
    return JSONResponse(
        status_code=exc.status_code,
        content={"detail": {"message": message}},
        headers=getattr(exc, "headers", None),
    )


_SCHEMAS = "#/components/schemas/"
_VALIDATION_DESCRIPTION = (
    "Parámetro inválido: `detail.message` lo explica en castellano; `parameter` y `value` nombran "
    "el primero, `valid_values` lista los valores aceptados cuando son un conjunto cerrado y "
    "`errors` trae una frase por parámetro."
)


_SCHEMA_TYPES: dict[str, type] = {"integer": int, "number": float, "string": str, "boolean": bool}
_SCHEMA_BOUNDS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}


def _plain_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, null]`` -> ``X``."""
    options = [s for s in schema.get("anyOf", ()) if s.get("type") != "null"]
    return dict(options[0]) if len(options) == 1 else schema


def _example(operation: dict[str, Any]) -> dict[str, Any] | None:
    """A real 422 body for the operation, from its own parameters: a number sent as text, else a
    required query parameter left out, else a blank text; None when no parameter can fail so."""
    params = [(p, _plain_schema(p.get("schema", {}))) for p in operation.get("parameters", ())]

    def expected(schema: dict[str, Any]) -> str:
        bounds = {_SCHEMA_BOUNDS[k]: v for k, v in schema.items() if k in _SCHEMA_BOUNDS}
        return _expectation(_SCHEMA_TYPES.get(schema.get("type", "")), bounds, {})

    for param, schema in params:
        if schema.get("type") in ("integer", "number"):
            error = _parameter_error(param["name"], "abc", expected(schema), missing=False)
            return {"detail": _detail([error])}
    for param, schema in params:
        if param.get("required") and param.get("in") == "query":
            error = _parameter_error(param["name"], None, expected(schema), missing=True)
            return {"detail": _detail([error])}
    for param, schema in params:
        if schema.get("type") == "string" and schema.get("pattern") == r"\S":
            error = _parameter_error(param["name"], " ", expected(schema), missing=False)
            return {"detail": _detail([error])}
    return None


def _document_errors(doc: dict[str, Any]) -> None:
    """Every 422 of ``doc`` answers :class:`ErrorBody`; FastAPI's HTTPValidationError goes away."""
    schema = ErrorBody.model_json_schema(ref_template=_SCHEMAS + "{model}")
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["ErrorBody"] = schema
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            response = operation.get("responses", {}).get("422")
            if response is None:
                continue
            content = response.setdefault("content", {}).setdefault("application/json", {})
            content["schema"] = {"$ref": _SCHEMAS + "ErrorBody"}
            if "example" not in content:
                content["example"] = _example(operation) or VALIDATION_EXAMPLE
            if response.get("description") in (None, "", "Validation Error"):
                response["description"] = _VALIDATION_DESCRIPTION


def _openapi_with_errors(app: FastAPI) -> Callable[[], dict[str, Any]]:
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document_errors(base())
        assert app.openapi_schema is not None
        return app.openapi_schema

    return openapi


def install_error_handlers(app: FastAPI) -> None:
    """Map DomainError subclasses to their status, request validation to the Spanish 422 body and
    Starlette's 404/405 to Spanish messages, and document the 422 body on every route."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.openapi = _openapi_with_errors(app)  # type: ignore[method-assign]


#: FastAPI's OpenTelemetry hooks, off: the services export Prometheus metrics (below), and the hooks
#: look up the global OpenTelemetry providers on every request (measured: ~15% of the gateway's cached
#: answers. throughput). ``FastAPI(telemetry=NO_OPENTELEMETRY)``.
NO_OPENTELEMETRY: Final[TelemetryConfig] = {"tracing": False, "metrics": False, "logs": False}


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


# The response headers naming the version of the data (query) or models (recommender) that computed an
# answer; the gateway keys its cache with them and never caches an answer without one.
DATA_VERSION_HEADER: Final = "X-Data-Version"
MODEL_VERSION_HEADER: Final = "X-Model-Version"


class VersionHeader:
    """Names the data or model version that computed each answer in a response header.

    ``version`` reads it from the lifespan state of the request (the data are loaded once, so the
    version of the answer is the one loaded); the gateway keys its cache with it.
    """

    def __init__(
        self, app: ASGIApp, header: str, version: Callable[[Mapping[str, Any]], str]
    ) -> None:
        self.app = app
        self.header = header.lower().encode("latin-1")
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    version = self.version(scope.get("state") or {})
                except (KeyError, AttributeError):  # no lifespan state: nothing was computed
                    version = ""
                if version:
                    headers = [*message.get("headers", []), (self.header, version.encode())]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_version)


def data_service_app(
    *,
    title: str,
    description: str,
    version: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Mapping[str, Any]]],
    metrics: HttpMetrics,
    ready: ReadinessCheck,
    guard: StartupGuard,
    version_header: str,
    answer_version: Callable[[Mapping[str, Any]], str],
) -> FastAPI:
    """The app of a service answering from loaded data (query, recommender), before its routes.

    It installs, in this order: the shared error shape, metrics, logs and probes, the quiet startup
    failure of ``guard``, and ``version_header``, which names the version of the data that computed
    each answer (``answer_version`` reads it from the lifespan state).
    """
    app = FastAPI(
        telemetry=NO_OPENTELEMETRY,
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    install_observability(app, metrics, ready)
    guard.install(app)
    app.add_middleware(VersionHeader, header=version_header, version=answer_version)
    return app


# -- the edition a request names -------------------------------------------------------------------

# How a 422 names the set of editions, in the services' answers and in their OpenAPI examples.
EDITION_KIND: Final = "un catálogo"


def edition_parameter(description: str) -> Callable[[str], Edition]:
    """The dependency reading the ``catalogo`` query parameter: ``movies`` by default, any case and
    accent spelling of an edition, else a 422 listing both. ``description`` is what the service's
    docs say of the parameter.

    No JSON Schema enum: enums are case-sensitive, and "Movies" is as valid as "movies" here. The
    parameter is declared by its default value, not ``Annotated``: this module's annotations are
    strings, which FastAPI evaluates in the module's globals, where ``description`` is not.
    """

    def get_edition(
        value: str = Query(
            "movies", alias="catalogo", description=description, examples=["movies"]
        ),
    ) -> Edition:
        """The edition a ``catalogo`` query parameter names; 422 listing both."""
        name = fold(value)
        for edition in EDITIONS:
            if name == edition:
                return edition
        raise InvalidValueError.outside("catalogo", value, EDITION_KIND, EDITIONS)

    return get_edition

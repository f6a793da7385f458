"""Gateway app factory: the public API in front of the query and recommender services."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from typing import Annotated, Any, TypedDict

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from cinemateca_common.logs import configure
from cinemateca_common.metrics import HttpMetrics
from cinemateca_common.web import (
    NO_OPENTELEMETRY,
    echo,
    install_error_handlers,
    install_observability,
)
from gateway import openapi, pages, params
from gateway.cache import Cache, MemoryCache, RedisCache
from gateway.config import Settings
from gateway.downstream import Downstream, VersionWatcher, client_session
from gateway.metrics import GatewayCollector
from gateway.proxy import Proxy, ProxyRequest
from gateway.routes import ROUTES, SERVICES, Route, Service

log = logging.getLogger(__name__)

VERSION = package_version("gateway")


@dataclass
class GatewayState:
    """Everything the lifespan opens; handlers reach it through :data:`GatewayDep`."""

    downstreams: dict[Service, Downstream]
    cache: Cache
    proxy: Proxy
    watcher: VersionWatcher
    collector: GatewayCollector
    _openapi_doc: dict[str, Any] = field(default_factory=dict)
    _openapi_key: tuple[int, ...] = ()

    def openapi(self) -> dict[str, Any]:
        """The merged document, rebuilt only when a downstream document changed."""
        specs = {name: d.openapi for name, d in self.downstreams.items()}
        key = tuple(id(spec) for spec in specs.values())
        if key != self._openapi_key or not self._openapi_doc:
            self._openapi_doc = openapi.merge(specs, VERSION)
            self._openapi_key = key
        return self._openapi_doc

    async def health(self) -> tuple[int, dict[str, Any]]:
        """Check every downstream (and Redis) now: 200 when all services are up, else 503."""
        await self.watcher.refresh_all()
        await self.cache.ping()
        services = {name: d.status() for name, d in self.downstreams.items()}
        all_up = all(d.up for d in self.downstreams.values())
        cache = self.cache.state()
        status = "unavailable" if not all_up else "degraded" if cache["status"] != "up" else "ok"
        body: dict[str, Any] = {
            "status": status,
            "service": "gateway",
            "version": VERSION,
            "services": services,
            "data_versions": services["query"].get("data_versions"),
            "model_versions": services["recommender"].get("model_versions"),
            "cache": cache,
        }
        return (200 if all_up else 503), body

    async def ready(self) -> dict[str, bool]:
        """Can serve: the cache answers (embedded: always; Redis: PING) and a downstream is up."""
        return {
            "cache": await self.cache.ping(),
            "downstream": any(d.up for d in self.downstreams.values()),
        }


class State(TypedDict):
    """The lifespan state: Starlette copies it into every request's ``request.state``."""

    gateway: GatewayState


def get_gateway(request: Request) -> GatewayState:
    state: GatewayState = request.state.gateway
    return state


GatewayDep = Annotated[GatewayState, Depends(get_gateway)]


async def _ready(request: Request) -> dict[str, bool]:
    return await get_gateway(request).ready()


async def _before_scrape(request: Request) -> None:
    await get_gateway(request).collector.refresh()


def _build_cache(settings: Settings) -> Cache:
    if settings.redis_url is None:
        return MemoryCache(settings.cache_max_bytes)
    return RedisCache(
        str(settings.redis_url),
        prefix=settings.cache_prefix,
        timeout=settings.redis_timeout,
        retry_seconds=settings.redis_retry_seconds,
    )


def _lifespan(settings: Settings, metrics: HttpMetrics) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        urls: dict[Service, str] = {
            "query": str(settings.query_url),
            "recommender": str(settings.recommender_url),
        }
        async with AsyncExitStack() as stack:
            downstreams: dict[Service, Downstream] = {}
            for name in SERVICES:
                session = client_session(settings.max_connections, settings.connect_timeout)
                control = client_session(2, settings.connect_timeout)
                for opened in (session, control):
                    await stack.enter_async_context(opened)
                downstreams[name] = Downstream(
                    name,
                    urls[name],
                    session,
                    health_timeout=settings.health_timeout,
                    control=control,
                )
            cache = _build_cache(settings)
            stack.push_async_callback(cache.close)
            collector = GatewayCollector(downstreams, cache)
            metrics.register(collector)
            stack.callback(metrics.registry.unregister, collector)
            proxy = Proxy(
                downstreams,
                cache,
                ttl=settings.cache_ttl,
                ttl_4xx=settings.cache_ttl_4xx,
                timeout=settings.downstream_timeout,
            )
            watcher = VersionWatcher(
                list(downstreams.values()),
                every=settings.version_refresh_seconds,
                retry_every=settings.version_retry_seconds,
            )
            state = GatewayState(downstreams, cache, proxy, watcher, collector)
            await watcher.refresh_all()  # services not up yet is fine: the watcher keeps trying
            await cache.ping()
            watcher.start()
            stack.push_async_callback(watcher.stop)
            # Everything allocated so far lives as long as the process: keep it out of the
            # collector's full passes, which otherwise stalled every request for ~60 ms a few times
            # a second under load (measured in bench/gateway).
            gc.collect()
            gc.freeze()
            log.info(
                "gateway %s ready: %s; cache %s",
                VERSION,
                ", ".join(
                    f"{d.name} at {d.url} ({'version ' + str(d.version) if d.up else 'down'})"
                    for d in downstreams.values()
                ),
                cache.state(),
            )
            yield State(gateway=state)

    return lifespan


def _proxy_endpoint(route: Route) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        gateway = get_gateway(request)
        try:
            parsed = params.parse(route, request.path_params, request.query_params.multi_items())
        except params.ParamError as exc:
            return JSONResponse({"detail": exc.detail}, status_code=422, headers=_BYPASS)
        proxied = ProxyRequest(parsed, request.scope["path"], request.state.request_id)
        answer, cache_status = await gateway.proxy.handle(proxied)
        gateway.collector.cache_results[cache_status] += 1
        return Response(
            answer.body,
            status_code=answer.status,
            headers={"content-type": answer.content_type, "x-cache": cache_status},
        )

    endpoint.__doc__ = route.summary
    return endpoint


# The gateway's own answers (invalid parameters, unknown routes) are never cached.
_BYPASS = {"x-cache": "bypass"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        # The path as routed (request.url drops control characters).
        message = params.no_route(request.method, request.scope["path"])
    elif exc.status_code == 405:
        message = f"método {request.method} no admitido: las rutas públicas son GET (y HEAD)"
    else:
        message = echo(str(exc.detail))
    return JSONResponse(
        {"detail": {"message": message}},
        status_code=exc.status_code,
        headers={**(exc.headers or {}), **_BYPASS},
    )


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": {"message": "error interno del gateway"}}, status_code=500, headers=_BYPASS
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The gateway: every public route forwarded (with cache), /health and its probes, /metrics, /docs,
    and the web page at /."""
    settings = settings or Settings()
    configure(settings.log_level, settings.log_format)
    metrics = HttpMetrics("gateway", VERSION)
    app = FastAPI(
        telemetry=NO_OPENTELEMETRY,
        title="Cinemateca",
        version=VERSION,
        openapi_url=None,  # served below: the merged document of all public routes
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(settings, metrics),
        # No redirects at all: "/x/" is a 404, never a redirect built from the client's Host header.
        redirect_slashes=False,
    )
    install_error_handlers(app)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    install_observability(app, metrics, _ready, before_scrape=_before_scrape)
    if settings.cors_origins:
        # Outermost, so preflights are answered before routing and every answer carries the headers.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["x-request-id"],
            expose_headers=["x-cache", "x-request-id"],
            max_age=600,
        )

    # Documented by the merged document (gateway.openapi), as every public route.
    @app.api_route("/health", methods=["GET", "HEAD"], include_in_schema=False)
    async def health(gateway: GatewayDep) -> JSONResponse:
        """Estado del gateway, de cada servicio (con sus versiones) y de la caché."""
        status, body = await gateway.health()
        return JSONResponse(body, status_code=status)

    @app.api_route("/openapi.json", methods=["GET", "HEAD"], include_in_schema=False)
    async def openapi_document(gateway: GatewayDep) -> JSONResponse:
        return JSONResponse(gateway.openapi())

    pages.install(app)  # the web page at /, its assets, and /docs with local Swagger UI

    # Plain Starlette routes (GET, and HEAD with it): gateway.params parses the declared parameters,
    # and skipping FastAPI's dependency machinery keeps the cached path fast. Their documentation is
    # the merged one. The templates are the services' own, ":path" converters included.
    for route in ROUTES:
        app.add_route(
            route.template,
            _proxy_endpoint(route),
            methods=["GET"],
            include_in_schema=False,
        )
    return app

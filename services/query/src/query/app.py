"""App factory: ``uv run uvicorn query.app:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cinemateca_common.logs import configure
from cinemateca_common.metrics import HttpMetrics
from cinemateca_common.web import VersionHeader, install_error_handlers, install_observability
from query import routes
from query.config import Settings
from query.data import DataNotFoundError, load

logger = logging.getLogger(__name__)

DESCRIPTION = """
Estadísticas de las dos ediciones del catálogo, calculadas sobre los datos procesados por el ETL
(`PROCESSED_DIR`) y respondidas desde índices construidos una sola vez al arrancar.

* **Películas** (The Movies Dataset): estrenos por mes y por día, franquicias, países, productoras
  y retorno de una película.
* **Plataformas de streaming** (Amazon Prime, Disney+, Hulu, Netflix): duración máxima, puntajes,
  cantidad de películas, actor más frecuente, títulos por país y por clasificación.

Los nombres se comparan sin distinguir mayúsculas ni tildes y como elementos completos, nunca como
subcadenas. Errores: `404` con `detail.suggestions` (hasta 5 nombres parecidos) y `422` con
`detail.valid_values`.
"""


class QuietStartupFailure:
    """Keeps a startup failure that was already logged as one clear line free of a traceback.

    Starlette reports a failed lifespan startup with the formatted traceback, which the server logs;
    for a missing data file the one ERROR line says everything, so the traceback is dropped.
    Other failures keep theirs.
    """

    def __init__(self, app: ASGIApp, logged: list[str]) -> None:
        self.app = app
        self.logged = logged

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_short(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and self.logged:
                message = {"type": "lifespan.startup.failed", "message": ""}
            await send(message)

        await self.app(scope, receive, send_short)


async def _ready(request: Request) -> dict[str, bool]:
    """Ready once the lifespan has loaded both editions."""
    return {"data": getattr(request.state, "query_data", None) is not None}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the query service; the lifespan loads both editions once."""
    settings = settings or Settings()
    configure(settings.log_level, settings.log_format)
    logged_failures: list[str] = []
    metrics = HttpMetrics("query", version("query"))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        try:
            data = load(settings.processed_dir)
        except DataNotFoundError as exc:
            logger.error("cannot start: %s", exc)
            logged_failures.append(str(exc))
            raise
        metrics.data_versions(data.data_versions)
        yield {"query_data": data}

    app = FastAPI(
        title="Cinemateca: consultas",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    install_observability(app, metrics, _ready)
    app.add_middleware(QuietStartupFailure, logged=logged_failures)
    app.add_middleware(
        VersionHeader, header="X-Data-Version", version=lambda state: state["query_data"].version
    )
    app.include_router(routes.service)
    app.include_router(routes.titles)
    app.include_router(routes.movies)
    app.include_router(routes.streaming)
    return app

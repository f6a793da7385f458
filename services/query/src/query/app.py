"""App factory: ``uv run uvicorn query.app:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import TypedDict

from fastapi import FastAPI, Request

from cinemateca_common.contract import StepNotRunError
from cinemateca_common.logs import configure
from cinemateca_common.metrics import HttpMetrics
from cinemateca_common.startup import StartupGuard
from cinemateca_common.tables import SchemaMismatchError
from cinemateca_common.web import DATA_VERSION_HEADER, data_service_app
from query import routes
from query.config import Settings
from query.data import QueryData, load

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


class State(TypedDict):
    """The lifespan state: Starlette copies it into every request's ``request.state``."""

    query_data: QueryData


async def _ready(request: Request) -> dict[str, bool]:
    """Ready once the lifespan has loaded both editions."""
    return {"data": getattr(request.state, "query_data", None) is not None}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the query service; the lifespan loads both editions once."""
    settings = settings or Settings()
    configure(settings.log_level, settings.log_format)
    guard = StartupGuard(logger, StepNotRunError, SchemaMismatchError)
    metrics = HttpMetrics("query", version("query"))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        with guard.loading():
            data = load(settings.processed_dir)
        metrics.data_versions(data.data_versions)
        yield State(query_data=data)

    app = data_service_app(
        title="Cinemateca: consultas",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
        metrics=metrics,
        ready=_ready,
        guard=guard,
        version_header=DATA_VERSION_HEADER,
        answer_version=lambda state: state["query_data"].version,
    )
    app.include_router(routes.service)
    app.include_router(routes.titles)
    app.include_router(routes.movies)
    app.include_router(routes.streaming)
    return app

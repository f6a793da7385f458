"""App factory: ``uv run uvicorn query.app:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from cinemateca_common.logs import configure
from cinemateca_common.web import install_error_handlers
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


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the query service; the lifespan loads both editions once."""
    settings = settings or Settings()
    configure(settings.log_level)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        try:
            data = load(settings.processed_dir)
        except DataNotFoundError as exc:
            logger.error("cannot start: %s", exc)
            raise
        yield {"query_data": data}

    app = FastAPI(
        title="Cinemateca: consultas",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(routes.service)
    app.include_router(routes.movies)
    app.include_router(routes.streaming)
    return app

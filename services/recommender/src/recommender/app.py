"""App factory of the recommender service: ``uvicorn recommender.app:create_app --factory``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import TypedDict

from fastapi import FastAPI, Request

from cinemateca_common import logs
from cinemateca_common.contract import EDITIONS, Edition, StepNotRunError
from cinemateca_common.metrics import HttpMetrics
from cinemateca_common.startup import StartupGuard
from cinemateca_common.web import MODEL_VERSION_HEADER, data_service_app
from recommender.config import Settings
from recommender.model import Recommender, load_all
from recommender.routes import combined_version, router

log = logging.getLogger(__name__)


class State(TypedDict):
    """The lifespan state: Starlette copies it into every request's ``request.state``."""

    models: dict[Edition, Recommender]


async def _ready(request: Request) -> dict[str, bool]:
    """Ready once the lifespan has loaded every edition's model."""
    models = getattr(request.state, "models", None) or {}
    return {"models": all(name in models for name in EDITIONS)}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan loads both editions' artifacts from ``settings.model_dir`` once."""
    settings = settings or Settings()
    logs.configure(settings.log_level, settings.log_format)
    metrics = HttpMetrics("recommender", version("recommender"))
    guard = StartupGuard(log, StepNotRunError)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[State]:
        with guard.loading():
            models = load_all(settings.model_dir, EDITIONS)
        metrics.model_versions({name: rec.version for name, rec in models.items()})
        yield State(models=models)

    app = data_service_app(
        title="Cinemateca · recomendador",
        description=(
            "Recomendaciones por contenido sobre todo el catálogo (movies y streaming): vecinos "
            "precalculados con similitud por bloques (sinopsis, géneros, reparto, dirección, ...) "
            'y un prior de calidad. Errores: `{"detail": {"message": ..., ...}}`.'
        ),
        version="1.0",
        lifespan=lifespan,
        metrics=metrics,
        ready=_ready,
        guard=guard,
        version_header=MODEL_VERSION_HEADER,
        answer_version=lambda state: combined_version(state["models"]),
    )
    app.include_router(router)
    return app

"""The gateway's route table against the services' own apps: same templates, converters, parameters.

Each service app is built with settings on the session's processed data and models; its routes are
read from FastAPI's own parameter model (path and query fields with their types and constraints), so
the gateway cannot route, parse or key a parameter differently from the service that answers it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.utils import get_flat_params
from fastapi.params import Path as PathParam
from fastapi.params import Query as QueryParam
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import Field

from cinemateca_common.contract import EDITIONS
from gateway.params import Param
from gateway.routes import ROUTES, SERVICES, VERSION_HEADERS, Route, Service
from query.app import create_app as create_query
from query.config import Settings as QuerySettings
from recommender.app import create_app as create_recommender
from recommender.config import Settings as RecommenderSettings

# Each service's own routes that the gateway does not proxy (operations, not the public API).
INTERNAL = {"/health", "/health/live", "/health/ready", "/metrics"}


@pytest.fixture(scope="module")
def apps(processed_dir: Path, model_dir: Path) -> dict[Service, FastAPI]:
    return {
        "query": create_query(QuerySettings(processed_dir=processed_dir)),
        "recommender": create_recommender(
            RecommenderSettings(processed_dir=processed_dir, model_dir=model_dir)
        ),
    }


def public_routes(app: FastAPI) -> dict[str, RouteContext]:
    """The app's routes (included routers flattened) by routing template, ``:path`` included."""
    return {
        str(context.path): context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and context.include_in_schema
        and context.path not in INTERNAL
    }


def constraints(metadata: list[Any]) -> dict[str, Any]:
    """pydantic's constraint objects (``Ge(ge=1)``, ``MaxLen(300)``, ...) as one plain dict."""
    merged: dict[str, Any] = {}
    for item in metadata:
        dataclass = dataclasses.is_dataclass(item) and not isinstance(item, type)
        fields = dataclasses.asdict(item) if dataclass else vars(item)
        merged.update({k: v for k, v in fields.items() if v is not None})
    return merged


def declared(param: Param) -> tuple[Any, dict[str, Any]]:
    return param.annotation, constraints(Field(**param.constraints).metadata)


def service_params(route: RouteContext, kind: type) -> dict[str, tuple[Any, dict[str, Any]]]:
    return {
        field.alias: (field.field_info.annotation, constraints(field.field_info.metadata))
        for field in get_flat_params(route.dependant)
        if isinstance(field.field_info, kind)
    }


def test_the_table_matches_every_service_route(apps: dict[Service, FastAPI]) -> None:
    for service in SERVICES:
        theirs = public_routes(apps[service])
        ours = {route.template: route for route in ROUTES if route.service == service}
        assert set(theirs) - set(ours) == set(), f"{service} routes the gateway does not forward"
        for template, route in ours.items():
            assert template in theirs, f"{service} has no {template} (converters included)"
            check_parameters(route, theirs[template])


def check_parameters(route: Route, theirs: RouteContext) -> None:
    path = service_params(theirs, PathParam)
    assert list(path) == [p.name for p in route.path_params], route.template
    for param in route.path_params:
        assert declared(param) == path[param.name], f"{route.template}: {param.name}"
    query = service_params(theirs, QueryParam)
    assert set(query) == {p.name for p in route.query}, route.template
    for param in route.query:
        assert declared(param) == query[param.name], f"{route.template}: ?{param.name}"


def test_catalogo_is_the_services_closed_set() -> None:
    assert all(
        p.choices == EDITIONS
        for r in ROUTES
        for p in (*r.path_params, *r.query)
        if p.name == "catalogo"
    )


def test_every_answer_names_the_version_that_computed_it(apps: dict[Service, FastAPI]) -> None:
    paths: dict[Service, str] = {
        "query": "/peliculas_mes/enero",
        "recommender": "/recomendaciones/Heat",
    }
    for service in SERVICES:
        with TestClient(apps[service]) as client:
            version = client.get("/health").json()["version"]
            for path in (paths[service], "/health", paths[service] + "/no/such/thing"):
                response = client.get(path)
                assert response.headers[VERSION_HEADERS[service]] == version, (service, path)

"""One OpenAPI document for the public API, merged from the downstream services' own documents.

Each route of the table takes its operation from its service's ``/openapi.json`` (the real parameter
schemas, descriptions and examples). The gateway keeps the last document it fetched from each service,
so /docs keeps working while a service is down; for a service never seen since the gateway started,
the operations are described from the route table alone (string parameters, generic answers), and
``info.description`` says so.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from gateway.routes import ROUTES, SERVICES, Route, Service

_ERROR_SCHEMA: dict[str, Any] = {
    "title": "GatewayError",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string"}, "service": {"type": "string"}},
        }
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/GatewayError"}
_CLIENT_ERRORS = {
    "404": "No existe: nombre o título desconocido (`detail.suggestions` cuando las hay).",
    "422": "Valor inválido o parámetro repetido (`detail.parameter`, `detail.valid_values`).",
}
_GATEWAY_ERRORS = {
    "502": "El servicio que responde la ruta falló (respondió 5xx).",
    "503": "El servicio que responde la ruta no está disponible.",
    "504": "El servicio que responde la ruta no respondió a tiempo.",
}


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            name = value.rsplit("/", 1)[-1] if key == "$ref" and isinstance(value, str) else ""
            if name in renames and value.startswith("#/components/schemas/"):
                out[key] = f"#/components/schemas/{renames[name]}"
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _static_operation(route: Route) -> dict[str, Any]:
    """An operation described from the route table only (the service's document is unknown)."""
    parameters = [
        {"name": p.name, "in": "path", "required": True, "schema": p.json_schema()}
        for p in route.path_params
    ] + [
        {"name": p.name, "in": "query", "required": False, "schema": p.json_schema()}
        for p in route.query
    ]
    return {
        "summary": route.summary,
        "operationId": route.path_format.strip("/")
        .replace("/", "_")
        .replace("{", "")
        .replace("}", ""),
        "parameters": parameters,
        "responses": {
            "200": {"description": "Successful Response", "content": {route.media_type: {}}},
        },
    }


def _health_operation() -> dict[str, Any]:
    return {
        "summary": "Estado del gateway y de cada servicio",
        "description": (
            "200 when every downstream service answers its /health, 503 with the same body when one "
            "does not. Reports each service's version (data_versions, model_versions) and the cache."
        ),
        "operationId": "gateway_health",
        "tags": ["gateway"],
        "responses": {
            "200": {"description": "All services up", "content": {"application/json": {}}},
            "503": {
                "description": "A downstream service is down",
                "content": {"application/json": {}},
            },
        },
    }


def _closed_sets(route: Route, operation: dict[str, Any]) -> None:
    """The closed sets the gateway validates itself (``catalogo``) as enums of canonical names.

    Input stays case- and accent-insensitive (``Movies`` is ``movies``); the document lists the
    canonical spelling, as the issue asks for every closed set.
    """
    choices = {p.name: p.choices for p in (*route.path_params, *route.query) if p.choices}
    for parameter in operation.get("parameters", []):
        values = choices.get(parameter.get("name"))
        if values:
            parameter["schema"] = {**parameter.get("schema", {}), "enum": list(values)}


def _shared_errors(responses: dict[str, Any]) -> None:
    """404 and 422 on every operation, in the one error shape they really have.

    Every route can answer both (an unknown name; an invalid or duplicated parameter, which the
    gateway answers itself), and FastAPI documents its default 422 body (``detail`` as a list),
    which the services' shared handler never sends. The services' descriptions and examples stay.
    """
    for status, description in _CLIENT_ERRORS.items():
        response = responses.setdefault(status, {"description": description})
        example = response.get("content", {}).get("application/json", {}).get("example")
        content: dict[str, Any] = {"schema": _ERROR_REF}
        if example is not None:
            content["example"] = example
        response["content"] = {"application/json": content}


def merge(specs: Mapping[Service, dict[str, Any] | None], version: str) -> dict[str, Any]:
    """The public document: every route of :data:`ROUTES` plus the gateway's own ``/health``."""
    schemas: dict[str, Any] = {"GatewayError": _ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    live: list[str] = []
    static: list[str] = []
    for service in SERVICES:
        spec = specs.get(service)
        (live if spec is not None else static).append(service)
        renames: dict[str, str] = {}
        if spec is not None:
            for name, schema in spec.get("components", {}).get("schemas", {}).items():
                if name in schemas and schemas[name] != schema:
                    renames[name] = f"{service}_{name}"
            spec = _rewrite_refs(spec, renames)
            for name, schema in spec.get("components", {}).get("schemas", {}).items():
                schemas[renames.get(name, name)] = schema
        for route in ROUTES:
            if route.service != service:
                continue
            operation = None
            if spec is not None:
                operation = copy.deepcopy(
                    spec.get("paths", {}).get(route.path_format, {}).get("get")
                )
            if operation is None:
                operation = _static_operation(route)
            operation.setdefault("tags", [service])
            _closed_sets(route, operation)
            responses = operation.setdefault("responses", {})
            _shared_errors(responses)
            for status, description in _GATEWAY_ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
            paths[route.path_format] = {"get": operation}
    paths["/health"] = {"get": _health_operation()}
    description = "Cinemateca public API: the query and recommender services behind one gateway."
    if static:
        description += f" Described from the gateway's route table (service not reachable yet): {', '.join(static)}."
    return {
        "openapi": "3.1.0",
        "info": {"title": "Cinemateca", "version": version, "description": description},
        "paths": paths,
        "components": {"schemas": schemas},
    }

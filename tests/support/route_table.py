"""Which route of the gateway's table serves a path, matched as Starlette matches it."""

from __future__ import annotations

from starlette.routing import compile_path

# Registers the ``path`` convertor the services route with (titles may hold line breaks).
import cinemateca_common.web  # noqa: F401
from gateway.routes import ROUTES, Route


def route_for(path: str) -> Route:
    """The route of the table that routes ``path`` (decoded), as Starlette matches it."""
    for route in ROUTES:
        if compile_path(route.template)[0].match(path):
            return route
    raise LookupError(f"no route of the table routes {path}")

"""What the gateway's route table may have that the services do not serve yet."""

from __future__ import annotations

import re
from typing import Final

from gateway.routes import ROUTES, Route, Service

# Routes of the gateway table that a service gains on another branch, as (service, documented path):
# each entry is tolerated only while its service lacks the route (the test fails for an entry the
# service has), and the set is emptied once that branch is merged. Empty: every route is served.
NOT_YET: Final[frozenset[tuple[Service, str]]] = frozenset()


def route_for(path: str) -> Route:
    """The route of the table that routes ``path`` (decoded), as Starlette matches it."""
    for route in ROUTES:
        pattern = re.sub(
            r"{(\w+)(:path)?}",
            lambda m: "[\\s\\S]*" if m.group(2) else "[^/]+",
            re.escape(route.template).replace(r"\{", "{").replace(r"\}", "}"),
        )
        if re.fullmatch(pattern, path):
            return route
    raise LookupError(f"no route of the table routes {path}")

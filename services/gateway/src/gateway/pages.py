"""The web page at ``/``, its static assets under ``/static``, and ``/docs`` with Swagger UI served locally.

Everything comes from the package's ``static/`` folder (package data, so it ships in the wheel and the
image); nothing here goes through the proxy or its cache. The assets are not fingerprinted, so every
answer says ``Cache-Control: no-cache``: browsers keep a copy and revalidate it with its ETag, which
costs a 304 and never serves a stale page after a deploy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")
SWAGGER_UI_VERSION = "5.35.0"  # static/swagger-ui/VERSION says where the files come from
CACHE_CONTROL = "no-cache"
# The page uses no inline script or style and calls only this origin.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class StaticAssets(StaticFiles):
    """StaticFiles (ETag, Last-Modified, 304) that also says how long a browser may keep a file."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = CACHE_CONTROL
        response.headers["x-content-type-options"] = "nosniff"
        return response


def install(app: FastAPI) -> None:
    """Add ``/``, ``/static/...`` and ``/docs`` to ``app``."""
    assets = StaticAssets(directory=STATIC_DIR)
    app.mount("/static", assets, name="static")

    async def index(request: Request) -> Response:
        """The page: index.html, with a content policy that keeps it to this origin."""
        if request.scope["path"] != "/":
            # Starlette's "^/$" also matches "/\n" ("$" before a final newline): that is no page.
            raise HTTPException(status_code=404)
        response = await assets.get_response("index.html", request.scope)
        response.headers["content-security-policy"] = PAGE_POLICY
        return response

    app.add_route("/", index, methods=["GET", "HEAD"], include_in_schema=False)

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    async def docs() -> Response:
        """Swagger UI for the merged document, from the vendored swagger-ui-dist (no CDN)."""
        response = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Cinemateca: documentación de la API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
            # No call to the public validator service: the page must work offline.
            swagger_ui_parameters={"validatorUrl": None},
        )
        response.headers["cache-control"] = CACHE_CONTROL
        return response

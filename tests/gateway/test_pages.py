"""The web page, its static assets, /docs with local Swagger UI, and CORS, through TestClient."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.config import Settings
from gateway.pages import STATIC_DIR
from tests.gateway.conftest import Service

ORIGIN = "https://app.example"


@pytest.fixture
def cors_client(query_service: Service, recommender_service: Service) -> Iterator[TestClient]:
    settings = Settings(
        query_url=query_service[1], recommender_url=recommender_service[1], cors_origins=[ORIGIN]
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_page_is_served_at_the_root_uncached_by_the_proxy(
    client: TestClient, query_service: Service
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in response.text
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "x-cache" not in response.headers  # never went through the proxy or its cache
    assert sum(query_service[0].calls.values()) == 0
    # Revalidation with the ETag costs a 304 and no body.
    again = client.get("/", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.head("/").status_code == 200


def test_every_asset_the_page_names_is_served_locally(client: TestClient) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert {"/static/app.js", "/static/app.css", "/static/favicon.svg"} <= set(assets)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        client.get("/static/app.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    missing = client.get("/static/nada.js")
    assert missing.status_code == 404
    # The gateway's own 404, in the shared error shape.
    assert set(missing.json()) == {"detail"}
    assert "/static/nada.js" in missing.json()["detail"]["message"]


def test_docs_load_swagger_ui_from_the_gateway_itself(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert client.head("/docs").status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sorted(urls) == [
        "/static/swagger-ui/favicon-32x32.png",
        "/static/swagger-ui/swagger-ui-bundle.js",
        "/static/swagger-ui/swagger-ui.css",
    ]
    assert "cdn" not in docs.text
    assert '"validatorUrl": null' in docs.text
    for url in urls:
        assert client.get(url).status_code == 200, url
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    assert (STATIC_DIR / "swagger-ui" / "LICENSE").is_file()


def _preflight(
    client: TestClient,
    origin: str,
    *,
    method: str = "GET",
    path: str = "/peliculas_mes/enero",
    request_headers: str | None = None,
) -> httpx.Response:
    """The OPTIONS request a browser sends before a cross-origin ``method`` request."""
    headers = {"origin": origin, "access-control-request-method": method}
    if request_headers is not None:
        headers["access-control-request-headers"] = request_headers
    response: httpx.Response = client.options(path, headers=headers)
    return response


def test_no_cross_origin_access_unless_configured(client: TestClient) -> None:
    response = client.get("/peliculas_mes/enero", headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = _preflight(client, ORIGIN)
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


def test_preflight_from_an_allowed_origin_is_answered(cors_client: TestClient) -> None:
    response = _preflight(
        cors_client, ORIGIN, path="/recomendaciones/Toy Story", request_headers="x-request-id"
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "x-request-id" in response.headers["access-control-allow-headers"].lower()
    assert response.headers["vary"].startswith("Origin")


def test_allowed_origin_reads_the_answer_and_its_cache_headers(cors_client: TestClient) -> None:
    response = cors_client.get("/peliculas_mes/enero", headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert exposed == {"x-cache", "x-request-id"}
    assert response.headers["x-cache"] in {"miss", "hit"}
    # Errors carry the headers too, so a page on another origin can show the Spanish message.
    missing = cors_client.get("/nada/de/nada", headers={"origin": ORIGIN})
    assert missing.status_code == 404
    assert missing.headers["access-control-allow-origin"] == ORIGIN


def test_other_origins_and_methods_are_refused(cors_client: TestClient) -> None:
    other = "https://otro.example"
    response = cors_client.get("/peliculas_mes/enero", headers={"origin": other})
    assert "access-control-allow-origin" not in response.headers
    preflight = _preflight(cors_client, other)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    post = _preflight(cors_client, ORIGIN, method="POST")
    assert post.status_code == 400


def test_cors_origins_setting_is_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example/, https://b.example ,")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]
    monkeypatch.setenv("CORS_ORIGINS", "")
    assert Settings().cors_origins == []
    monkeypatch.delenv("CORS_ORIGINS")
    assert Settings().cors_origins == []

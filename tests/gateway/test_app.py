"""The gateway app through TestClient, in front of small real HTTP services (uvicorn on loopback)."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.10 prefers the httpx2 package for its TestClient; httpx is what the workspace has.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.config import Settings
from gateway.params import Param
from gateway.routes import ROUTES, Route

if TYPE_CHECKING:
    from tests.gateway.conftest import FakeService

Service = tuple["FakeService", str]


def example_value(param: Param) -> str:
    """A value the parameter's type accepts."""
    if param.choices:
        return param.choices[-1]
    return {int: "7", int | None: "1999", float: "3.5"}.get(param.annotation, f"x{param.name}")


def example_path(route: Route) -> str:
    values = [example_value(param) for param in route.path_params]
    return route.fill(values)


@pytest.fixture
def client(query_service: Service, recommender_service: Service) -> Iterator[TestClient]:
    settings = Settings(
        query_url=query_service[1],
        recommender_url=recommender_service[1],
        downstream_timeout=2.0,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_every_route_reaches_its_service_under_the_same_path(
    client: TestClient, query_service: Service, recommender_service: Service
) -> None:
    for route in ROUTES:
        path = example_path(route)
        query = [(param.name, example_value(param)) for param in route.query]
        response = client.get(path, params=query)
        assert response.status_code == 200, path
        body = response.json()
        assert body["service"] == route.service
        assert body["path"] == path
        assert body["query"] == sorted([name, value] for name, value in query)
    assert sum(query_service[0].calls.values()) == 15
    assert sum(recommender_service[0].calls.values()) == 4


def test_path_and_query_values_are_forwarded_intact(client: TestClient) -> None:
    response = client.get("/retorno/Amélie: 100% ..", params={"anio": "2001", "x": "a&b=c"})
    body = response.json()
    assert body["path"] == "/retorno/Amélie: 100% .."
    assert body["query"] == [["anio", "2001"]], "only the declared parameters are forwarded"
    # A dot segment is a value here, not "the parent folder": it reaches the service as such.
    assert client.get("/retorno/%2E%2E").json()["path"] == "/retorno/.."


def test_titles_with_a_slash_reach_the_recommender_as_one_value(
    client: TestClient, recommender_service: Service
) -> None:
    fake = recommender_service[0]
    for route in ("/get_recommendation", "/recomendaciones"):
        first = client.get(f"{route}/Face/Off", params={"catalogo": "movies"})
        assert first.status_code == 200
        assert first.headers["x-cache"] == "miss"
        assert first.json()["path"] == f"{route}/Face/Off"
        # Re-encoded as one segment: a service routing on segments still sees one title.
        assert first.json()["raw_path"] == f"{route}/Face%2FOff"
        assert first.json()["query"] == [["catalogo", "movies"]]
        # Typed as %2F (or in another case) it is the same title: the same cache entry.
        for spelling in (f"{route}/Face%2FOff", f"{route}/face/off", f"{route}/FACE%2fOFF"):
            again = client.get(spelling, params={"catalogo": "movies"})
            assert again.headers["x-cache"] == "hit", spelling
            assert again.content == first.content
        assert fake.calls[f"{route}/Face/Off"] == 1
    raw_path = client.get("/get_recommendation/JLG/JLG: Self-Portrait").json()["raw_path"]
    assert raw_path == "/get_recommendation/JLG%2FJLG%3A%20Self-Portrait"
    raw_path = client.get("/get_recommendation/%2E%2E").json()["raw_path"]
    assert raw_path == "/get_recommendation/%2E%2E"  # a value, not "the parent folder"
    # The query routes take no such values: a "/" there still names no route.
    assert client.get("/peliculas_mes/ene/ro").status_code == 404


def test_miss_then_hit_shared_by_case_and_accent_variants(
    client: TestClient, query_service: Service
) -> None:
    fake = query_service[0]
    first = client.get("/peliculas_mes/Enero")
    assert first.headers["x-cache"] == "miss"
    for variant in ("/peliculas_mes/Enero", "/peliculas_mes/ENERO", "/peliculas_mes/énero"):
        again = client.get(variant)
        assert again.headers["x-cache"] == "hit", variant
        assert again.content == first.content
    assert fake.calls["/peliculas_mes/Enero"] == 1
    assert sum(fake.calls.values()) == 1


def test_new_downstream_version_is_a_new_entry(client: TestClient, query_service: Service) -> None:
    fake = query_service[0]
    assert client.get("/get_contents/pg").headers["x-cache"] == "miss"
    assert client.get("/get_contents/pg").headers["x-cache"] == "hit"
    fake.version = "v2"
    health = client.get("/health").json()  # /health re-reads the versions now
    assert health["services"]["query"]["version"] == "v2"
    assert client.get("/get_contents/pg").headers["x-cache"] == "miss"
    assert client.get("/get_contents/pg").headers["x-cache"] == "hit"
    assert fake.calls["/get_contents/pg"] == 2


def test_downstream_4xx_passes_through_unchanged_and_is_cached_briefly(
    client: TestClient, query_service: Service
) -> None:
    response = client.get("/franquicia/nada")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {"message": "franquicia/nada not found", "suggestions": ["algo"]}
    }
    assert response.headers["x-cache"] == "miss"
    again = client.get("/franquicia/nada")
    assert again.headers["x-cache"] == "hit"
    assert again.status_code == 404
    assert again.content == response.content
    assert query_service[0].calls["/franquicia/nada"] == 1
    # A 4xx is kept under the spelling that earned it: another spelling asks the service again.
    assert client.get("/franquicia/NADA").headers["x-cache"] == "miss"
    assert query_service[0].calls["/franquicia/NADA"] == 1


def test_downstream_5xx_is_502_naming_the_service_and_never_cached(
    client: TestClient, query_service: Service
) -> None:
    for _ in range(2):
        response = client.get("/productoras/boom")
        assert response.status_code == 502
        assert response.json() == {
            "detail": {"message": "el servicio query falló (HTTP 500)", "service": "query"}
        }
        assert response.headers["x-cache"] == "bypass", "a gateway error is never a cache miss"
    assert query_service[0].calls["/productoras/boom"] == 2


def test_unreachable_downstream_is_503(query_service: Service, closed_url: str) -> None:
    settings = Settings(query_url=query_service[1], recommender_url=closed_url)
    with TestClient(create_app(settings)) as client:
        response = client.get("/get_recommendation/Toy Story")
        assert response.status_code == 503
        assert response.json() == {
            "detail": {
                "message": "el servicio recommender no responde",
                "service": "recommender",
            }
        }
        assert response.headers["x-cache"] == "bypass"  # its version was never known
        health = client.get("/health")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "unavailable"
        assert body["services"]["recommender"]["status"] == "down"
        assert body["services"]["query"]["status"] == "ok"
        # The query side keeps working and caching.
        assert client.get("/peliculas_dia/lunes").status_code == 200
        assert client.get("/peliculas_dia/lunes").headers["x-cache"] == "hit"


def test_hanging_downstream_is_504(query_service: Service, hanging_url: str) -> None:
    settings = Settings(
        query_url=query_service[1],
        recommender_url=hanging_url,
        downstream_timeout=0.3,
        health_timeout=0.3,
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/recomendaciones/Toy Story", params={"k": "3"})
        assert response.status_code == 504
        assert response.json() == {
            "detail": {
                "message": "el servicio recommender no respondió en 0.3 s",
                "service": "recommender",
            }
        }


def test_requests_waiting_for_a_slot_share_the_deadline(
    query_service: Service, hanging_url: str
) -> None:
    settings = Settings(
        query_url=query_service[1],
        recommender_url=hanging_url,
        downstream_timeout=0.3,
        health_timeout=0.3,
        max_connections=2,
    )
    titles = [f"/get_recommendation/titulo {i}" for i in range(6)]
    with TestClient(create_app(settings)) as client, ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(client.get, titles))
    assert [r.status_code for r in responses] == [504] * 6


def test_request_id_is_accepted_propagated_and_returned(
    client: TestClient, query_service: Service
) -> None:
    response = client.get("/peliculas_pais/ar", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"

    generated = client.get("/peliculas_pais/fr")
    request_id = generated.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert generated.json()["request_id"] == request_id

    unsafe = client.get("/peliculas_pais/de", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])
    assert query_service[0].request_ids == ["abc-123", request_id, unsafe.headers["x-request-id"]]
    # Every answer carries one, errors and the gateway's own routes too.
    assert client.get("/nope", headers={"X-Request-ID": "r1"}).headers["x-request-id"] == "r1"
    assert client.get("/health").headers["x-request-id"]


def test_unknown_paths_and_methods_in_the_shared_error_shape(client: TestClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "no existe la ruta GET /no/such/route: las rutas públicas están en /docs"
        }
    }
    # Only the public routes are forwarded, not whatever the downstream happens to serve.
    assert client.get("/openapi.json/x").status_code == 404
    assert client.get("/peliculas_mes").status_code == 404
    response = client.post("/peliculas_mes/enero")
    assert response.status_code == 405
    assert response.json()["detail"]["message"].startswith("método POST no admitido")


def test_health_reports_services_versions_and_cache(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["status"] == "ok"
    assert body["service"] == "gateway"
    assert isinstance(body["version"], str)
    assert body["services"]["query"]["status"] == "ok"
    assert body["services"]["query"]["version"] == "v1"
    assert body["services"]["recommender"]["version"] == "v1"
    assert body["cache"]["backend"] == "memory"
    assert body["cache"]["status"] == "up"


def test_openapi_lists_every_public_route_and_docs_are_served(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert set(doc["paths"]) == {route.path_format for route in ROUTES} | {"/health"}
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


def test_docs_are_served_when_every_downstream_is_down(closed_url: str) -> None:
    settings = Settings(query_url=closed_url, recommender_url=closed_url)
    with TestClient(create_app(settings)) as client:
        doc = client.get("/openapi.json").json()
        assert set(doc["paths"]) == {route.path_format for route in ROUTES} | {"/health"}
        operation = doc["paths"]["/recomendaciones/{titulo}"]["get"]
        names = [p["name"] for p in operation["parameters"]]
        assert names == ["titulo", "k", "anio", "catalogo"]
        assert "route table" in doc["info"]["description"]
        assert client.get("/docs").status_code == 200


def test_concurrent_misses_make_one_downstream_call(
    client: TestClient, query_service: Service
) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda _: client.get("/get_actor/lento/2020"), range(16)))
    assert {r.status_code for r in responses} == {200}
    assert query_service[0].calls["/get_actor/lento/2020"] == 1


def test_redis_unreachable_serves_uncached_with_one_warning(
    query_service: Service,
    recommender_service: Service,
    closed_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(
        query_url=query_service[1],
        recommender_url=recommender_service[1],
        redis_url=closed_url.replace("http://", "redis://"),
    )
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        for _ in range(5):
            response = client.get("/get_count_platform/netflix")
            assert response.status_code == 200
            assert response.headers["x-cache"] == "bypass"
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["cache"]["status"] == "down"
    assert query_service[0].calls["/get_count_platform/netflix"] == 5
    redis_warnings = [r for r in caplog.records if "Redis" in r.getMessage()]
    assert len(redis_warnings) == 1

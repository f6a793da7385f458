"""The gateway app through TestClient, in front of small real HTTP services (uvicorn on loopback)."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.config import Settings
from gateway.params import Param
from gateway.routes import ROUTES, Route
from tests.gateway.conftest import Service, serve


def example_value(param: Param) -> str:
    """A value the parameter's type accepts."""
    if param.choices:
        return param.choices[-1]
    return {int: "7", int | None: "1999", float: "3.5"}.get(param.annotation, f"x{param.name}")


def example_path(route: Route) -> str:
    values = [example_value(param) for param in route.path_params]
    return route.fill(values)


def test_every_route_reaches_its_service_under_the_same_path(
    client: TestClient, query_service: Service, recommender_service: Service
) -> None:
    for route in ROUTES:
        path = example_path(route)
        query = [(param.name, example_value(param)) for param in route.query]
        response = client.get(path, params=query)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(route.media_type)
        if route.media_type != "application/json":
            assert response.text == f"<h1>{path[1:]}</h1>"  # the fake's page names its path
            continue
        body = response.json()
        assert body["service"] == route.service
        assert body["path"] == path
        assert body["query"] == sorted([name, value] for name, value in query)
    assert sum(query_service[0].calls.values()) == sum(r.service == "query" for r in ROUTES)
    assert sum(recommender_service[0].calls.values()) == sum(
        r.service == "recommender" for r in ROUTES
    )


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


def test_health_body_without_a_version_is_a_service_down(query_service: Service) -> None:
    """The /health body is the ServiceHealth contract: without ``version`` nothing can be keyed."""
    broken = FastAPI()

    @broken.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "service": "recommender"}

    with serve(broken) as url:
        settings = Settings(query_url=query_service[1], recommender_url=url)
        with TestClient(create_app(settings)) as client:
            response = client.get("/health")
            assert response.status_code == 503
            recommender = response.json()["services"]["recommender"]
            assert recommender["status"] == "down"
            assert recommender["error"] == "ValidationError: /health body invalid (version)"


def test_hanging_downstream_is_504(hung_recommender: Settings) -> None:
    with TestClient(create_app(hung_recommender)) as client:
        response = client.get("/recomendaciones/Toy Story", params={"k": "3"})
        assert response.status_code == 504
        assert response.json() == {
            "detail": {
                "message": "el servicio recommender no respondió en 0.3 s",
                "service": "recommender",
            }
        }


def test_requests_waiting_for_a_slot_share_the_deadline(hung_recommender: Settings) -> None:
    settings = hung_recommender.model_copy(update={"max_connections": 2})
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


def test_only_declared_parameters_are_forwarded_and_keyed(
    client: TestClient, recommender_service: Service
) -> None:
    """The issue's poisoning sequences: the second request must never get the first one's answer."""
    fake = recommender_service[0]
    sequences = [
        ("/get_recommendation/The Matrix", {"Catalogo": "streaming"}, {"catalogo": "streaming"}),
        ("/recomendaciones/Heat", {"K": "1"}, {"k": "1"}),
        ("/recomendaciones/Titanic", {"ANIO": "1953"}, {"anio": "1953"}),
    ]
    for path, poison, victim in sequences:
        first = client.get(path, params=poison)
        assert first.status_code == 200
        assert first.json()["query"] == [], "an unknown name (names are exact) is not forwarded"
        second = client.get(path, params=victim)
        assert second.headers["x-cache"] == "miss", (path, victim)
        assert second.json()["query"] == [list(item) for item in victim.items()]
        # ... and the unknown name was not part of the key either: one entry for both spellings.
        assert client.get(path, params={**poison, "nonce": "1"}).headers["x-cache"] == "hit"
    assert fake.calls["/recomendaciones/Heat"] == 2


def test_duplicated_parameter_is_422_and_never_forwarded(
    client: TestClient, recommender_service: Service
) -> None:
    for query in ("k=2&k=7", "k=7&k=2", "k=7&k=7"):
        response = client.get(f"/recomendaciones/Heat?{query}")
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert detail["message"] == "el parámetro k aparece 2 veces: indíquelo una sola vez"
        assert detail["parameter"] == "k"
        assert response.headers["x-cache"] == "bypass"
    assert recommender_service[0].calls["/recomendaciones/Heat"] == 0
    # Unknown parameters may repeat: they are ignored altogether.
    assert client.get("/recomendaciones/Heat?x=1&x=2").status_code == 200


def test_values_are_validated_as_the_service_does(
    client: TestClient, recommender_service: Service, query_service: Service
) -> None:
    assert client.get("/recomendaciones/Heat", params={"k": "5"}).headers["x-cache"] == "miss"
    # Full-width digits: 422 at the service, so 422 here too, before and after "5" is cached.
    for k in ("５", "0", "51", "", "5.5", "cinco"):
        response = client.get("/recomendaciones/Heat", params={"k": k})
        assert response.status_code == 422, k
        assert response.json()["detail"] == {
            "message": "valor inválido para k: se esperaba un número entero entre 1 y 50",
            "parameter": "k",
            "value": k,
        }
    # What the service's pydantic accepts is the same value: one entry, forwarded canonical.
    for k in ("05", "+5", " 5"):
        response = client.get("/recomendaciones/Heat", params={"k": k})
        assert response.headers["x-cache"] == "hit", k
    assert recommender_service[0].calls["/recomendaciones/Heat"] == 1
    # Typed path values too: a year is an int, a score a finite number.
    assert client.get("/get_actor/netflix/２０２０").status_code == 422
    assert client.get("/get_score_count/netflix/nan/2020").status_code == 422
    assert client.get("/get_actor/netflix/+2020").json()["path"] == "/get_actor/netflix/2020"
    catalogo = client.get("/get_recommendation/Heat", params={"catalogo": "vhs"})
    assert catalogo.status_code == 422
    assert catalogo.json()["detail"]["valid_values"] == ["movies", "streaming"]
    assert client.get("/get_recommendation/Heat", params={"catalogo": "STREAMING"}).json()[
        "query"
    ] == [["catalogo", "streaming"]]
    assert sum(query_service[0].calls.values()) == 1
    # A 65 kB value is echoed back cut short.
    long = client.get("/recomendaciones/Heat", params={"anio": "9" * 65_000})
    assert long.status_code == 422
    assert len(long.content) < 1_000


def test_set_route_key_ignores_the_order_of_the_pairs(
    client: TestClient, recommender_service: Service
) -> None:
    one = "titulos=Heat&titulos=Alien&anios=1995&anios="
    assert client.get(f"/recomendaciones?{one}").headers["x-cache"] == "miss"
    swapped = client.get("/recomendaciones?titulos=Alien&titulos=Heat&anios=&anios=1995")
    assert swapped.headers["x-cache"] == "hit"
    crossed = client.get("/recomendaciones?titulos=Alien&titulos=Heat&anios=1995&anios=")
    assert crossed.headers["x-cache"] == "miss", "Alien 1995 and Heat is another request"
    assert crossed.json()["query"] == [
        ["anios", ""],
        ["anios", "1995"],
        ["titulos", "Alien"],
        ["titulos", "Heat"],
    ]
    assert recommender_service[0].calls["/recomendaciones"] == 2


def test_answers_are_keyed_by_the_version_that_computed_them(
    client: TestClient, query_service: Service
) -> None:
    """The version race: new data answered before the gateway's next /health poll sees it."""
    fake = query_service[0]
    fake.answer_version = "v2"  # restarted on new data; /health not polled since (still "v1")
    first = client.get("/get_contents/pg")
    assert (first.headers["x-cache"], first.json()["version"]) == ("miss", "v2")
    # Not stored under v1, which the gateway still looks up: v1 lookups never get v2's answer.
    again = client.get("/get_contents/pg")
    assert again.headers["x-cache"] == "miss"
    fake.answer_version = None  # rolled back: v1 answers again
    rolled_back = client.get("/get_contents/pg")
    assert (rolled_back.headers["x-cache"], rolled_back.json()["version"]) == ("miss", "v1")
    assert client.get("/get_contents/pg").json()["version"] == "v1"
    # Once the gateway sees v2 for good, the answer v2 computed earlier is found under v2.
    fake.answer_version = fake.version = "v2"
    assert client.get("/health").json()["services"]["query"]["version"] == "v2"
    hit = client.get("/get_contents/pg")
    assert (hit.headers["x-cache"], hit.json()["version"]) == ("hit", "v2")


def test_no_redirects_and_head_is_get_without_a_body(client: TestClient) -> None:
    for path in ("/peliculas_mes/enero/", "/health/", "/docs/"):
        response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert response.status_code == 404, path
        assert "location" not in response.headers
        assert response.json()["detail"]["message"].startswith("no existe la ruta GET")
    for path in ("/health", "/peliculas_mes/enero", "/openapi.json", "/docs"):
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""


def test_undecodable_or_unroutable_paths_in_the_shared_shape(client: TestClient) -> None:
    # A line break is part of a ":path" value, as in the services (titles can hold one).
    assert client.get("/retorno/a%0Ab").json()["path"] == "/retorno/a\nb"
    for path in ("/peliculas_mes/a%2Fb", "/x%00", "/peliculas_mes/enero/", "/%0A"):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        detail = response.json()["detail"]
        assert isinstance(detail, dict), path
        assert isinstance(detail["message"], str), path
    long = client.get("/no/" + "x" * 65_000)
    assert long.status_code == 404
    assert len(long.content) < 1_000, "the echoed path is capped"


def test_public_health_names_no_internal_address(client: TestClient) -> None:
    body = client.get("/health").text
    assert "127.0.0.1" not in body
    assert "http://" not in body


def test_html_reports_pass_through_and_are_cached(
    client: TestClient, query_service: Service
) -> None:
    first = client.get("/informes/Movies")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert first.text == "<h1>informes/movies</h1>", "the catalogue leaves in its canonical name"
    again = client.get("/informes/MOVIES")
    assert again.headers["x-cache"] == "hit"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.content == first.content
    assert query_service[0].calls["/informes/movies"] == 1
    assert client.get("/informes/vhs").status_code == 422

"""Every public route through the real gateway, against the same request sent to the service itself."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pandas as pd
import pytest

from gateway.routes import ROUTES

if TYPE_CHECKING:
    from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

# (path, query, expected status): every route of the table at least once, good and bad input.
CALLS: list[tuple[str, dict[str, str | list[str]], int]] = [
    ("/peliculas_mes/enero", {}, 200),
    ("/peliculas_mes/Setiembre", {}, 200),
    ("/peliculas_mes/brumario", {}, 422),
    ("/peliculas_dia/miércoles", {}, 200),
    ("/peliculas_dia/feriado", {}, 422),
    ("/franquicia/Toy Story", {}, 200),
    ("/franquicia/zzzz qqqq", {}, 404),
    ("/peliculas_pais/AR", {}, 200),
    ("/peliculas_pais/Estados Unidos", {}, 200),
    ("/peliculas_pais/Narnia", {}, 404),
    ("/productoras/Pixar Animation Studios", {}, 200),
    ("/retorno/Toy Story", {}, 200),
    ("/retorno/Titanic", {"anio": "1997"}, 200),
    ("/get_max_duration/2018/netflix/min", {}, 200),
    ("/get_max_duration/2018/netflix/hours", {}, 422),
    ("/get_score_count/netflix/3.5/2018", {}, 200),
    ("/get_score_count/netflix/mucho/2018", {}, 422),
    ("/get_count_platform/netflix", {}, 200),
    ("/get_count_platform/betamax", {}, 422),
    ("/get_actor/netflix/2018", {}, 200),
    ("/get_actor/hulu/2018", {}, 404),
    ("/prod_per_county/movie/united states/2018", {}, 200),
    ("/prod_per_county/documental/united states/2018", {}, 422),
    ("/get_contents/pg-13", {}, 200),
    ("/get_recommendation/Toy Story", {}, 200),
    ("/get_recommendation/toy story", {"catalogo": "streaming"}, 200),
    ("/get_recommendation/zzqqxx vvww", {}, 404),
    ("/get_recommendation/Face/Off", {}, 200),  # a "/" in the title: one value, not two segments
    ("/recomendaciones/Toy Story", {"k": "3"}, 200),
    ("/recomendaciones/Toy Story", {"k": "0"}, 422),
    ("/recomendaciones/Toy Story", {"catalogo": "vhs"}, 422),
    ("/buscar", {"q": "toy story"}, 200),
    ("/buscar", {"q": "toy", "catalogo": "Streaming", "por_pagina": "5"}, 200),
    ("/buscar", {"q": "toy", "por_pagina": "51"}, 422),
    ("/titulos/862", {}, 200),
    ("/titulos/as1", {"catalogo": "streaming"}, 200),
    ("/titulos/999999999", {}, 404),
    ("/titulos/862/recomendaciones", {"k": "3"}, 200),
    ("/informes/movies", {}, 200),
    ("/informes/vhs", {}, 422),
    ("/recomendaciones", {"titulos": ["Toy Story", "Jumanji"], "k": "4"}, 200),
    ("/recomendaciones", {"titulos": ["Toy Story", "zzqqxx vvww"]}, 404),
]


def test_every_public_route_is_called() -> None:
    called = {path.split("/")[1] for path, _, _ in CALLS}
    assert called == {route.template.split("/")[1] for route in ROUTES}


@pytest.mark.parametrize(("path", "query", "status"), CALLS)
def test_gateway_answers_as_the_service(
    healthy_stack: Stack, path: str, query: dict[str, str | list[str]], status: int
) -> None:
    through = httpx.get(healthy_stack.url + path, params=query, timeout=10)
    direct = httpx.get(healthy_stack.service_url(path) + path, params=query, timeout=10)
    assert through.status_code == status, through.text
    assert direct.status_code == status
    if through.headers["content-type"].startswith("text/html"):  # the EDA reports
        assert through.headers["content-type"] == direct.headers["content-type"]
        assert through.content == direct.content
        return
    assert through.headers["content-type"].startswith("application/json")
    if through.headers["x-cache"] == "bypass":
        # A value the service's own types reject: the gateway answers the 422 itself, in Spanish.
        assert status == 422
        assert through.json()["detail"]["message"].startswith("valor inválido para ")
    else:
        assert through.headers["x-cache"] in {"hit", "miss"}
        assert through.json() == direct.json()
    if status >= 400:
        assert isinstance(through.json()["detail"], dict)


def test_a_few_values(healthy_stack: Stack, raw_data_dir: Path) -> None:
    netflix = pd.read_csv(raw_data_dir / "streaming" / "netflix_titles.csv.gz")
    movies = int((netflix["type"] == "Movie").sum())
    url = healthy_stack.url
    assert httpx.get(f"{url}/get_count_platform/netflix").json() == movies
    assert httpx.get(f"{url}/get_count_platform/NETFLIX").json() == movies
    toy: list[Any] = httpx.get(f"{url}/get_recommendation/toy story").json()
    assert len(toy) == 5
    assert "Toy Story 2" in toy
    detailed = httpx.get(f"{url}/recomendaciones/Toy Story", params={"k": 3}).json()
    assert len(detailed["recomendaciones"]) == 3
    assert httpx.get(f"{url}/peliculas_mes/enero").json()["cantidad"] > 0


def test_miss_then_hit_for_every_spelling(healthy_stack: Stack) -> None:
    url = healthy_stack.url
    healthy_stack.clear_cache()
    first = httpx.get(f"{url}/peliculas_dia/Sábado")
    assert first.headers["x-cache"] == "miss"
    for spelling in ("Sábado", "sabado", "SABADO"):
        again = httpx.get(f"{url}/peliculas_dia/{spelling}")
        assert again.headers["x-cache"] == "hit", spelling
        assert again.json() == first.json()


def test_gateway_health_reports_versions_and_redis(healthy_stack: Stack) -> None:
    response = healthy_stack.gateway_health()
    assert response.status_code == 200
    body = response.json()
    query_health = httpx.get(f"{healthy_stack.query.url}/health").json()
    recommender_health = httpx.get(f"{healthy_stack.recommender.url}/health").json()
    assert body["status"] == "ok"
    assert body["services"]["query"]["version"] == query_health["version"]
    assert body["data_versions"] == query_health["data_versions"]
    assert body["model_versions"] == recommender_health["model_versions"]
    assert body["cache"]["backend"] == "redis"
    assert body["cache"]["status"] == "up"


def test_one_openapi_document_with_the_services_own_schemas(healthy_stack: Stack) -> None:
    doc = httpx.get(f"{healthy_stack.url}/openapi.json").json()
    assert set(doc["paths"]) == {route.path_format for route in ROUTES} | {"/health"}
    query_doc = httpx.get(f"{healthy_stack.query.url}/openapi.json").json()
    template = "/peliculas_mes/{mes}"
    assert (
        doc["paths"][template]["get"]["parameters"]
        == query_doc["paths"][template]["get"]["parameters"]
    )
    assert httpx.get(f"{healthy_stack.url}/docs").status_code == 200

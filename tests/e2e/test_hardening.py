"""The issue's attacks on the real stack (real services, real gateway, real Redis): none works anymore."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pandas as pd
import pytest

from gateway.routes import ROUTES

if TYPE_CHECKING:
    from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

# (path, the attacker's query, the victim's query): the victim must get the service's own answer.
POISONING = [
    ("/get_recommendation/The Matrix", "Catalogo=streaming", "catalogo=streaming"),
    ("/recomendaciones/Heat", "K=1", "k=1"),
    ("/retorno/Titanic", "ANIO=1953", "anio=1953"),
    ("/recomendaciones/Heat", "k=2&k=7", "k=7&k=2"),
]


def direct(stack: Stack, path: str, query: str = "") -> httpx.Response:
    return httpx.get(f"{stack.service_url(path)}{path}?{query}", timeout=10)


@pytest.mark.parametrize(("path", "poison", "victim"), POISONING)
def test_one_request_cannot_poison_another(
    healthy_stack: Stack, path: str, poison: str, victim: str
) -> None:
    stack = healthy_stack
    stack.clear_cache()
    first = httpx.get(f"{stack.url}{path}?{poison}", timeout=10)
    assert first.status_code in (200, 422)
    answer = httpx.get(f"{stack.url}{path}?{victim}", timeout=10)
    if "&" in victim:
        # The service takes the last of duplicated values; the gateway refuses the ambiguity.
        assert (first.status_code, answer.status_code) == (422, 422)
        assert answer.json()["detail"]["parameter"] == "k"
        assert answer.headers["x-cache"] == "bypass"
    else:
        expected = direct(stack, path, victim)
        assert answer.status_code == expected.status_code == 200
        assert answer.json() == expected.json(), f"{path}?{victim} got the answer to ?{poison}"
        assert answer.headers["x-cache"] == "miss"
    # The victim's answer is in the cache now; the attacker's spelling still cannot reach it.
    again = httpx.get(f"{stack.url}{path}?{victim}", timeout=10)
    assert again.json() == answer.json()


def test_full_width_digits_stay_422_once_the_ascii_value_is_cached(healthy_stack: Stack) -> None:
    stack = healthy_stack
    stack.clear_cache()
    url = f"{stack.url}/recomendaciones/Heat"
    assert direct(stack, "/recomendaciones/Heat", "k=%EF%BC%95").status_code == 422
    assert httpx.get(f"{url}?k=%EF%BC%95").status_code == 422
    assert httpx.get(f"{url}?k=5").status_code == 200
    assert httpx.get(f"{url}?k=5").headers["x-cache"] == "hit"
    after = httpx.get(f"{url}?k=%EF%BC%95")
    assert after.status_code == 422
    assert after.json()["detail"]["value"] == "５"
    year = httpx.get(f"{stack.url}/get_actor/netflix/%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%98")
    assert year.status_code == 422


def slash_names(stack: Stack) -> dict[str, str]:
    """One real name containing "/" for each ``:path`` parameter, from the processed data."""
    movies = pd.read_parquet(stack.processed_dir / "movies" / "movies.parquet")
    titles = movies["title"].dropna()
    collections = movies["collection_name"].dropna()
    companies = sorted({c for names in movies["production_companies"].dropna() for c in names})
    title = next(t for t in titles if "/" in t and (titles == t).sum() == 1)
    return {
        "pelicula": title,
        "titulo": title,
        "franquicia": next(c for c in collections if "/" in c),
        "productora": next(c for c in companies if "/" in c),
    }


def test_names_with_a_slash_reach_every_path_parameter(healthy_stack: Stack) -> None:
    stack = healthy_stack
    names = slash_names(stack)
    routes = [route for route in ROUTES if route.slash_params]
    assert {name for route in routes for name in route.slash_params} == set(names)
    assert len(routes) == 5
    for route in routes:
        for typed in ("raw", "%2F"):
            value = names[route.slash_params[0]]
            value = value if typed == "raw" else value.replace("/", "%2F")
            path = route.fill([value])
            through = httpx.get(stack.url + path, timeout=10)
            assert through.status_code == 200, (path, through.text)
            assert (
                through.json() == direct(stack, route.fill([names[route.slash_params[0]]])).json()
            )


def test_gateway_errors_and_odd_paths(healthy_stack: Stack) -> None:
    url = healthy_stack.url
    for path in ("/retorno/Toy%0AStory", "/peliculas_mes/ene%0Aro", "/%0A", "/franquicia/%0A"):
        odd = httpx.get(url + path)  # a line break is part of a value, as in the services
        assert odd.status_code in (200, 404, 422), path
        if odd.status_code != 200:
            assert isinstance(odd.json()["detail"]["message"], str), path
    slash = httpx.get(f"{url}/peliculas_mes/enero/", headers={"Host": "evil.example"})
    assert slash.status_code == 404
    assert "location" not in slash.headers
    head = httpx.head(f"{url}/health")
    assert head.status_code == 200
    assert httpx.head(f"{url}/peliculas_mes/enero").status_code == 200
    health = healthy_stack.gateway_health().text
    assert healthy_stack.query.url not in health
    assert "6379" not in health

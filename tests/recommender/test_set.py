"""Recommendations for a set of titles (``GET /recomendaciones?titulos=...``): model and API contract."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from recommender.model import Recommender

SET = ["Toy Story", "Jumanji", "Aladdin"]


def _query(titles: list[str], **extra: str) -> str:
    params = "&".join(f"titulos={t}" for t in titles)
    more = "".join(f"&{k}={v}" for k, v in extra.items())
    return f"/recomendaciones?{params}{more}"


def test_set_excludes_its_inputs_and_relates_each_pick(client: TestClient) -> None:
    response = client.get(_query(SET, k="10"))
    assert response.status_code == 200
    body = response.json()
    assert body["catalogo"] == "movies"
    assert [t["titulo"] for t in body["titulos"]] == SET
    recs = body["recomendaciones"]
    assert len(recs) == 10
    names = [r["titulo"] for r in recs]
    assert not set(names) & set(SET)
    assert len(set(names)) == 10
    assert [r["score"] for r in recs] == sorted((r["score"] for r in recs), reverse=True)
    for rec in recs:
        assert rec["relacionado_con"]
        assert set(rec["relacionado_con"]) <= set(SET)
        assert rec["razon"]
    # A title near several inputs says so.
    shared = [r for r in recs if len(r["relacionado_con"]) > 1]
    assert shared
    assert shared[0]["razon"].startswith("afín a ")


def test_set_is_order_independent(client: TestClient) -> None:
    one = client.get(_query(SET)).json()["recomendaciones"]
    other = client.get(_query(list(reversed(SET)))).json()["recomendaciones"]
    assert [r["id"] for r in one] == [r["id"] for r in other]


def test_title_with_year_and_parallel_years(movies: Recommender, client: TestClient) -> None:
    with_year = client.get(_query(["Titanic (1953)", "Toy Story"])).json()
    assert with_year["titulos"][0]["anio"] == 1953
    parallel = client.get(_query(["Titanic", "Toy Story"]) + "&anios=1953&anios=").json()
    assert parallel["titulos"] == with_year["titulos"]
    assert parallel["recomendaciones"] == with_year["recomendaciones"]


def test_one_title_set_matches_its_own_list(movies: Recommender, client: TestClient) -> None:
    body = client.get(_query(["Heat"], k="5")).json()
    assert [r["id"] for r in body["recomendaciones"]] == [
        item.ref.id for item in movies.recommend("Heat", 5).items
    ]


def test_unknown_titles_are_404_listing_each_with_suggestions(client: TestClient) -> None:
    response = client.get(_query(["Toy Story", "toi storie 2", "zzqqxx"]))
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "toi storie 2" in detail["message"]
    assert "zzqqxx" in detail["message"]
    unknown = {u["titulo"]: u for u in detail["desconocidos"]}
    assert set(unknown) == {"toi storie 2", "zzqqxx"}
    assert "Toy Story 2" in unknown["toi storie 2"]["suggestions"]
    assert unknown["zzqqxx"]["suggestions"] == []


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/recomendaciones", "titulos"),
        ("/recomendaciones?titulos=", "titulos"),
        (_query([f"Toy Story {i}" for i in range(21)]), "titulos"),
        (_query(SET) + "&anios=1995", "anios"),
        (_query(["Toy Story"]) + "&anios=noventa", "anios"),
        (_query(SET, k="0"), "k"),
        (_query(SET, catalogo="peliculas"), "catalogo"),
    ],
)
def test_bad_set_requests_are_422_in_the_shared_shape(
    client: TestClient, url: str, parameter: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, dict)
    assert detail["message"]
    if parameter != "k":  # k's 422 comes from FastAPI's validation (translated elsewhere)
        assert detail["parameter"] == parameter
        assert detail["valid_values"]


def test_streaming_set(client: TestClient) -> None:
    body = client.get(_query(["stranger things", "dark"], catalogo="streaming")).json()
    assert len(body["recomendaciones"]) == 10
    assert all(isinstance(r["id"], str) for r in body["recomendaciones"])

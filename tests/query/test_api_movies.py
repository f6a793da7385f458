"""Movies-edition routes on the real data; every expected value is computed here from the raw file."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from cinemateca_common.text import fold
from tests.query.conftest import MONTHS, WEEKDAYS, RawMovie


def test_raw_sample_drop_rules_match_the_published_row_count(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    # 5,000 raw rows: one duplicate id (105045) and four without a release date are dropped.
    assert len(raw_movies) == 4995
    assert client.get("/health").json()["rows"]["movies"] == len(raw_movies)


@pytest.mark.parametrize("number", range(1, 13))
def test_peliculas_mes_counts_every_year(
    client: TestClient, raw_movies: list[RawMovie], number: int
) -> None:
    expected = sum(1 for m in raw_movies if m.released.month == number)
    response = client.get(f"/peliculas_mes/{MONTHS[number - 1]}")
    assert response.status_code == 200
    assert response.json() == {"mes": MONTHS[number - 1], "cantidad": expected}


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("ENERO", "enero"), ("Setiembre", "septiembre"), (" septiembre ", "septiembre")],
)
def test_peliculas_mes_is_case_insensitive_and_knows_setiembre(
    client: TestClient, raw_movies: list[RawMovie], typed: str, canonical: str
) -> None:
    number = MONTHS.index(canonical) + 1
    expected = sum(1 for m in raw_movies if m.released.month == number)
    assert client.get(f"/peliculas_mes/{typed}").json() == {"mes": canonical, "cantidad": expected}


@pytest.mark.parametrize("number", range(7))
def test_peliculas_dia(client: TestClient, raw_movies: list[RawMovie], number: int) -> None:
    expected = sum(1 for m in raw_movies if m.released.weekday() == number)
    response = client.get(f"/peliculas_dia/{WEEKDAYS[number]}")
    assert response.status_code == 200
    assert response.json() == {"dia": WEEKDAYS[number], "cantidad": expected}


@pytest.mark.parametrize(("typed", "number"), [("miercoles", 2), ("SABADO", 5), ("Sábado", 5)])
def test_peliculas_dia_accents_optional(
    client: TestClient, raw_movies: list[RawMovie], typed: str, number: int
) -> None:
    expected = sum(1 for m in raw_movies if m.released.weekday() == number)
    assert client.get(f"/peliculas_dia/{typed}").json() == {
        "dia": WEEKDAYS[number],
        "cantidad": expected,
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Toy Story", "Toy Story Collection"),
        ("toy story collection", "Toy Story Collection"),
        ("JAMES BOND", "James Bond Collection"),
        ("pokemon", "Pokémon Collection"),
        ("Toto Collection", "Totò Collection"),
    ],
)
def test_franquicia(
    client: TestClient, raw_movies: list[RawMovie], typed: str, stored: str
) -> None:
    films = [m for m in raw_movies if m.collection == stored]
    total = sum(m.revenue for m in films)
    assert films
    response = client.get(f"/franquicia/{typed}")
    assert response.status_code == 200
    assert response.json() == {
        "franquicia": stored,
        "cantidad": len(films),
        "ganancia_total": pytest.approx(total),
        "ganancia_promedio": pytest.approx(total / len(films)),
    }


def test_franquicia_toy_story_figures(client: TestClient) -> None:
    # The sample holds Toy Story (1995) and Toy Story 2 (1999): 373,554,033 + 497,366,869.
    body = client.get("/franquicia/Toy Story").json()
    assert body["cantidad"] == 2
    assert body["ganancia_total"] == 870920902.0
    assert body["ganancia_promedio"] == 435460451.0


def _country_count(raw_movies: list[RawMovie], name: str) -> int:
    return sum(1 for m in raw_movies if name in m.countries)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("France", "France"),
        ("francia", "France"),
        ("FR", "France"),
        ("fr", "France"),
        ("Estados Unidos", "United States of America"),
        ("us", "United States of America"),
        ("USA", "United States of America"),
        ("united states of america", "United States of America"),
        ("Reino Unido", "United Kingdom"),
        ("GB", "United Kingdom"),
        ("Alemania", "Germany"),
        ("España", "Spain"),
        ("espana", "Spain"),
        ("Japón", "Japan"),
        ("México", "Mexico"),
        ("Países Bajos", "Netherlands"),
        ("Corea del Sur", "South Korea"),
        ("Suiza", "Switzerland"),
        ("Rusia", "Russia"),
        ("Sudáfrica", "South Africa"),
        ("AR", "Argentina"),
        ("India", "India"),
        ("IN", "India"),
    ],
)
def test_peliculas_pais_exact_element(
    client: TestClient, raw_movies: list[RawMovie], typed: str, stored: str
) -> None:
    expected = _country_count(raw_movies, stored)
    assert expected > 0
    response = client.get(f"/peliculas_pais/{typed}")
    assert response.status_code == 200
    assert response.json() == {"pais": stored, "cantidad": expected}


def test_peliculas_pais_known_country_without_movies_counts_zero(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    # No movie of the sample lists Niger; the naive substring test would still find none here,
    # the substring trap itself is covered on the streaming data and in the unit tests.
    assert _country_count(raw_movies, "Niger") == 0
    assert client.get("/peliculas_pais/Niger").json() == {"pais": "Niger", "cantidad": 0}


@pytest.mark.parametrize(
    "stored",
    ["Walt Disney", "Walt Disney Pictures", "Warner Bros.", "Pixar Animation Studios"],
)
def test_productoras_exact_element(
    client: TestClient, raw_movies: list[RawMovie], stored: str
) -> None:
    films = [m for m in raw_movies if stored in m.companies]
    response = client.get(f"/productoras/{stored.upper()}")
    assert response.status_code == 200
    assert response.json() == {
        "productora": stored,
        "ganancia_total": pytest.approx(sum(m.revenue for m in films)),
        "cantidad": len(films),
    }


def test_productoras_never_counts_a_substring(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    exact = sum(1 for m in raw_movies if "Walt Disney" in m.companies)
    substring = sum(1 for m in raw_movies if any("Walt Disney" in c for c in m.companies))
    assert substring > exact
    assert client.get("/productoras/walt disney").json()["cantidad"] == exact


def test_productoras_accent_insensitive(client: TestClient, raw_movies: list[RawMovie]) -> None:
    stored = "Televisión Española (TVE)"
    films = [m for m in raw_movies if stored in m.companies]
    body = client.get("/productoras/television espanola (tve)").json()
    assert body == {
        "productora": stored,
        "ganancia_total": pytest.approx(sum(m.revenue for m in films)),
        "cantidad": len(films),
    }


def _expected_return(movie: RawMovie) -> float:
    return movie.revenue / movie.budget if movie.budget > 0 else 0.0


def _by_title(raw_movies: list[RawMovie], title: str) -> list[RawMovie]:
    films = [m for m in raw_movies if fold(m.title) == fold(title)]
    return sorted(films, key=lambda m: (-m.popularity, m.id))


def test_retorno_unique_title(client: TestClient, raw_movies: list[RawMovie]) -> None:
    (toy_story,) = _by_title(raw_movies, "Toy Story")
    response = client.get("/retorno/toy story")
    assert response.status_code == 200
    assert response.json() == {
        "pelicula": "Toy Story",
        "inversion": toy_story.budget,
        "ganancia": toy_story.revenue,
        "ganacia": toy_story.revenue,
        "retorno": pytest.approx(_expected_return(toy_story)),
        "anio": 1995,
        "otras": [],
    }


def test_retorno_accent_insensitive(client: TestClient, raw_movies: list[RawMovie]) -> None:
    (amelie,) = _by_title(raw_movies, "Amélie")
    body = client.get("/retorno/AMELIE").json()
    assert body["pelicula"] == "Amélie"
    assert body["anio"] == amelie.released.year
    assert body["ganancia"] == amelie.revenue


def test_retorno_duplicate_titles_pick_the_most_popular(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    groups = Counter(fold(m.title) for m in raw_movies)
    duplicated = [title for title, n in groups.items() if n > 1]
    assert len(duplicated) >= 50
    for title in duplicated:
        films = _by_title(raw_movies, title)
        body = client.get(f"/retorno/{quote(films[0].title, safe='')}").json()
        assert body["pelicula"] == films[0].title
        assert body["anio"] == films[0].released.year
        assert body["inversion"] == films[0].budget
        assert body["otras"] == [{"titulo": f.title, "anio": f.released.year} for f in films[1:]]


def test_retorno_titanic(client: TestClient) -> None:
    body = client.get("/retorno/Titanic").json()
    assert body["anio"] == 1997
    assert body["inversion"] == 200000000.0
    assert body["otras"] == [{"titulo": "Titanic", "anio": 1953}]


def test_retorno_anio_picks_one(client: TestClient, raw_movies: list[RawMovie]) -> None:
    older = next(m for m in raw_movies if m.title == "Titanic" and m.released.year == 1953)
    body = client.get("/retorno/titanic", params={"anio": 1953}).json()
    assert body["pelicula"] == "Titanic"
    assert body["anio"] == 1953
    assert body["inversion"] == older.budget
    assert body["ganacia"] == older.revenue
    assert body["retorno"] == pytest.approx(_expected_return(older))


def test_retorno_anio_without_match_lists_the_years(client: TestClient) -> None:
    response = client.get("/retorno/titanic", params={"anio": 2000})
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "No hay ninguna película titulada 'Titanic' estrenada en 2000; se estrenó "
            "en: 1953, 1997.",
            "suggestions": [],
            "available_years": [1953, 1997],
        }
    }


def test_retorno_les_miserables_spellings_share_one_key(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    films = _by_title(raw_movies, "Les Misérables")
    assert {m.title for m in films} == {"Les Misérables", "Les Miserables"}
    body = client.get("/retorno/les miserables").json()
    assert body["pelicula"] == films[0].title
    assert len(body["otras"]) == len(films) - 1


def test_retorno_zero_budget_is_zero_not_nan(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    movie = next(
        m for m in raw_movies if m.budget == 0 and len(_by_title(raw_movies, m.title)) == 1
    )
    body = client.get(f"/retorno/{quote(movie.title, safe='')}").json()
    assert body["inversion"] == 0.0
    assert body["retorno"] == 0.0


def test_productoras_punctuation_is_optional(
    client: TestClient, raw_movies: list[RawMovie]
) -> None:
    # "Warner Bros" (no dot) names exactly one stored company once punctuation is ignored.
    expected = sum(1 for m in raw_movies if "Warner Bros." in m.companies)
    body = client.get("/productoras/warner bros").json()
    assert body["productora"] == "Warner Bros."
    assert body["cantidad"] == expected

"""MovieStats without HTTP: small hand-written tables for the traps, then the real data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from cinemateca_common.errors import InvalidValueError, NotFoundError
from query.movies import MovieStats
from tests.query.conftest import MONTHS, RawMovie


def _movie(
    movie_id: int,
    title: str,
    released: str,
    *,
    revenue: float = 0.0,
    budget: float = 0.0,
    popularity: float = 1.0,
    collection: str | None = None,
    companies: tuple[str, ...] = (),
    countries: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    day = date.fromisoformat(released)
    return {
        "id": movie_id,
        "title": title,
        "popularity": popularity,
        "budget": budget,
        "revenue": revenue,
        "return": revenue / budget if budget else 0.0,
        "release_year": day.year,
        "release_month": day.month,
        "release_weekday": day.weekday(),
        "collection_name": collection,
        "production_companies": list(companies),
        "production_countries": [name for name, _ in countries],
        "production_country_codes": [code for _, code in countries],
    }


@pytest.fixture(scope="module")
def small() -> MovieStats:
    rows = [
        _movie(1, "Alpha", "2000-01-03", revenue=100, budget=50, popularity=5,
               collection="Alpha Collection", companies=("Walt Disney",),
               countries=(("Niger", "NE"),)),
        _movie(2, "Alpha", "2005-01-04", revenue=300, budget=0, popularity=9,
               collection="Alpha Collection", companies=("Walt Disney Pictures",),
               countries=(("Nigeria", "NG"),)),
        _movie(3, "Éclair", "2010-02-05", revenue=7, popularity=2, collection="Café Collection",
               companies=("Télé Images", "télé images"),
               countries=(("British Indian Ocean Territory", "IO"), ("India", "IN"))),
        _movie(4, "Beta", "2011-03-06", companies=("Papua New Guinea Films",),
               countries=(("Papua New Guinea", "PG"), ("Equatorial Guinea", "GQ"))),
        _movie(5, "Gamma", "2012-12-31", revenue=float("nan"),
               countries=(("United States of America", "US"), ("United States of America", "US"))),
    ]  # fmt: skip
    return MovieStats(pd.DataFrame(rows))


def test_month_and_weekday_counts(small: MovieStats) -> None:
    assert small.movies_in_month("Enero").model_dump() == {"mes": "enero", "cantidad": 2}
    assert small.movies_in_month("diciembre").model_dump() == {"mes": "diciembre", "cantidad": 1}
    assert small.movies_in_month("julio").model_dump() == {"mes": "julio", "cantidad": 0}
    # 2000-01-03 Monday, 2005-01-04 Tuesday, 2010-02-05 Friday, 2011-03-06 Sunday, 2012-12-31 Monday.
    assert small.movies_on_weekday("LUNES").model_dump() == {"dia": "lunes", "cantidad": 2}
    assert small.movies_on_weekday("domingo").model_dump() == {"dia": "domingo", "cantidad": 1}
    assert small.movies_on_weekday("miercoles").model_dump() == {"dia": "miércoles", "cantidad": 0}


def test_unknown_month_and_weekday(small: MovieStats) -> None:
    with pytest.raises(InvalidValueError) as month:
        small.movies_in_month("january")
    assert month.value.status_code == 422
    assert month.value.detail["valid_values"][0] == "enero"
    with pytest.raises(InvalidValueError) as day:
        small.movies_on_weekday("")
    assert day.value.detail["parameter"] == "dia"


def test_collection_with_and_without_suffix(small: MovieStats) -> None:
    expected = {
        "franquicia": "Alpha Collection",
        "cantidad": 2,
        "ganancia_total": 400.0,
        "ganancia_promedio": 200.0,
    }
    assert small.collection("alpha").model_dump() == expected
    assert small.collection("ALPHA COLLECTION").model_dump() == expected
    assert small.collection("cafe").franquicia == "Café Collection"


def test_unknown_collection_suggests(small: MovieStats) -> None:
    with pytest.raises(NotFoundError) as error:
        small.collection("Alpah")
    assert error.value.detail == {
        "message": "No hay ninguna franquicia llamada 'Alpah'.",
        "suggestions": ["Alpha Collection"],
    }


def test_country_is_a_whole_element_never_a_substring(small: MovieStats) -> None:
    assert small.movies_from_country("Niger").cantidad == 1
    assert small.movies_from_country("Nigeria").cantidad == 1
    assert small.movies_from_country("India").model_dump() == {"pais": "India", "cantidad": 1}
    assert small.movies_from_country("Guinea").model_dump() == {"pais": "Guinea", "cantidad": 0}
    assert small.movies_from_country("Guinea Ecuatorial").cantidad == 1


def test_country_codes_and_spanish_names(small: MovieStats) -> None:
    united_states = {"pais": "United States of America", "cantidad": 1}
    for typed in ("us", "US", "Estados Unidos", "EE. UU.", "united states", "USA"):
        assert small.movies_from_country(typed).model_dump() == united_states, typed
    assert small.movies_from_country("ne").model_dump() == {"pais": "Niger", "cantidad": 1}
    assert small.movies_from_country("Níger").model_dump() == {"pais": "Niger", "cantidad": 1}


def test_unknown_country(small: MovieStats) -> None:
    with pytest.raises(NotFoundError) as error:
        small.movies_from_country("Nigerr")
    assert error.value.detail["suggestions"][:2] in (["Nigeria", "Niger"], ["Niger", "Nigeria"])


def test_company_exact_and_deduplicated_within_a_movie(small: MovieStats) -> None:
    assert small.company("walt disney").model_dump() == {
        "productora": "Walt Disney",
        "ganancia_total": 100.0,
        "cantidad": 1,
    }
    # Listed twice (different case) in one movie: counted once.
    assert small.company("TELE IMAGES").model_dump() == {
        "productora": "Télé Images",
        "ganancia_total": 7.0,
        "cantidad": 1,
    }
    with pytest.raises(NotFoundError):
        small.company("Disney")


def test_nan_revenue_becomes_zero(small: MovieStats) -> None:
    assert small.film_return("gamma").ganancia == 0.0


def test_film_return_picks_the_most_popular_and_lists_the_others(small: MovieStats) -> None:
    assert small.film_return("ALPHA").model_dump() == {
        "pelicula": "Alpha",
        "inversion": 0.0,
        "ganancia": 300.0,
        "ganacia": 300.0,
        "retorno": 0.0,
        "anio": 2005,
        "otras": [{"titulo": "Alpha", "anio": 2000}],
    }
    assert small.film_return("alpha", 2000).retorno == 2.0
    assert small.film_return("eclair").pelicula == "Éclair"


def test_film_return_year_without_match(small: MovieStats) -> None:
    with pytest.raises(NotFoundError) as error:
        small.film_return("alpha", 1999)
    assert error.value.detail == {
        "message": "No hay ninguna película titulada 'Alpha' estrenada en 1999; se estrenó en: "
        "2000, 2005.",
        "suggestions": [],
        "available_years": [2000, 2005],
    }


# -- the real data ---------------------------------------------------------------------------


def test_real_month_counts_sum_to_all_movies(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    counts = [movie_stats.movies_in_month(m).cantidad for m in MONTHS]
    assert counts == [sum(1 for r in raw_movies if r.released.month == n) for n in range(1, 13)]
    assert sum(counts) == movie_stats.rows == len(raw_movies)


def test_real_every_country_code_matches_its_name(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    pairs = {
        (name, code)
        for m in raw_movies
        for name, code in zip(m.countries, m.country_codes, strict=True)
    }
    for name, code in pairs:
        expected = sum(1 for m in raw_movies if name in m.countries)
        assert movie_stats.movies_from_country(code).model_dump() == {
            "pais": name,
            "cantidad": expected,
        }
        assert movie_stats.movies_from_country(name.upper()).cantidad == expected


def test_real_every_collection(movie_stats: MovieStats, raw_movies: list[RawMovie]) -> None:
    names = {m.collection for m in raw_movies if m.collection}
    for name in names:
        films = [m for m in raw_movies if m.collection == name]
        answer = movie_stats.collection(name)
        assert answer.cantidad == len(films), name
        assert answer.ganancia_total == pytest.approx(sum(m.revenue for m in films))

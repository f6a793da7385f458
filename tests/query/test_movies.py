"""MovieStats without HTTP: small hand-written tables for the traps, then the real data."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pandas as pd
import pytest

from cinemateca_common.errors import InvalidValueError, NotFoundError
from cinemateca_common.text import fold
from query.movies import MovieStats
from tests.query.conftest import MONTHS, WEEKDAYS, movies_from_country
from tests.support.raw import RawMovie


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


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("ENERO", "enero"), ("Setiembre", "septiembre"), (" septiembre ", "septiembre")],
)
def test_real_month_is_case_insensitive_and_knows_setiembre(
    movie_stats: MovieStats, raw_movies: list[RawMovie], typed: str, canonical: str
) -> None:
    number = MONTHS.index(canonical) + 1
    expected = sum(1 for m in raw_movies if m.released.month == number)
    assert movie_stats.movies_in_month(typed).model_dump() == {
        "mes": canonical,
        "cantidad": expected,
    }


def test_real_weekday_counts(movie_stats: MovieStats, raw_movies: list[RawMovie]) -> None:
    counts = [movie_stats.movies_on_weekday(d).model_dump() for d in WEEKDAYS]
    assert counts == [
        {"dia": day, "cantidad": sum(1 for m in raw_movies if m.released.weekday() == n)}
        for n, day in enumerate(WEEKDAYS)
    ]


@pytest.mark.parametrize(("typed", "number"), [("miercoles", 2), ("SABADO", 5), ("Sábado", 5)])
def test_real_weekday_accents_optional(
    movie_stats: MovieStats, raw_movies: list[RawMovie], typed: str, number: int
) -> None:
    expected = sum(1 for m in raw_movies if m.released.weekday() == number)
    assert movie_stats.movies_on_weekday(typed).model_dump() == {
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
def test_real_collection_typed_names(
    movie_stats: MovieStats, raw_movies: list[RawMovie], typed: str, stored: str
) -> None:
    films = [m for m in raw_movies if m.collection == stored]
    total = sum(m.revenue for m in films)
    assert films
    assert movie_stats.collection(typed).model_dump() == {
        "franquicia": stored,
        "cantidad": len(films),
        "ganancia_total": pytest.approx(total),
        "ganancia_promedio": pytest.approx(total / len(films)),
    }


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
def test_real_country_exact_element(
    movie_stats: MovieStats, raw_movies: list[RawMovie], typed: str, stored: str
) -> None:
    expected = movies_from_country(raw_movies, stored)
    assert expected > 0
    assert movie_stats.movies_from_country(typed).model_dump() == {
        "pais": stored,
        "cantidad": expected,
    }


def test_real_known_country_without_movies_counts_zero(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    # No movie of the sample lists Niger; the naive substring test would still find none here,
    # the substring trap itself is covered on the streaming data and in the small tables.
    assert movies_from_country(raw_movies, "Niger") == 0
    assert movie_stats.movies_from_country("Niger").model_dump() == {"pais": "Niger", "cantidad": 0}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("WALT DISNEY", "Walt Disney"),
        ("WALT DISNEY PICTURES", "Walt Disney Pictures"),
        ("WARNER BROS.", "Warner Bros."),
        ("PIXAR ANIMATION STUDIOS", "Pixar Animation Studios"),
        ("television espanola (tve)", "Televisión Española (TVE)"),  # accents optional
    ],
)
def test_real_company_exact_element(
    movie_stats: MovieStats, raw_movies: list[RawMovie], typed: str, stored: str
) -> None:
    films = [m for m in raw_movies if stored in m.companies]
    assert movie_stats.company(typed).model_dump() == {
        "productora": stored,
        "ganancia_total": pytest.approx(sum(m.revenue for m in films)),
        "cantidad": len(films),
    }


def test_real_company_never_counts_a_substring(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    exact = sum(1 for m in raw_movies if "Walt Disney" in m.companies)
    substring = sum(1 for m in raw_movies if any("Walt Disney" in c for c in m.companies))
    assert substring > exact
    assert movie_stats.company("walt disney").cantidad == exact


def test_real_company_punctuation_is_optional(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    # "Warner Bros" (no dot) names exactly one stored company once punctuation is ignored.
    expected = sum(1 for m in raw_movies if "Warner Bros." in m.companies)
    answer = movie_stats.company("warner bros")
    assert answer.productora == "Warner Bros."
    assert answer.cantidad == expected


def _expected_return(movie: RawMovie) -> float:
    return movie.revenue / movie.budget if movie.budget > 0 else 0.0


def _by_title(raw_movies: list[RawMovie], title: str) -> list[RawMovie]:
    films = [m for m in raw_movies if fold(m.title) == fold(title)]
    return sorted(films, key=lambda m: (-m.popularity, m.id))


def test_real_return_unique_title(movie_stats: MovieStats, raw_movies: list[RawMovie]) -> None:
    (toy_story,) = _by_title(raw_movies, "Toy Story")
    assert movie_stats.film_return("toy story").model_dump() == {
        "pelicula": "Toy Story",
        "inversion": toy_story.budget,
        "ganancia": toy_story.revenue,
        "ganacia": toy_story.revenue,
        "retorno": pytest.approx(_expected_return(toy_story)),
        "anio": 1995,
        "otras": [],
    }


def test_real_return_accent_insensitive(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    (amelie,) = _by_title(raw_movies, "Amélie")
    answer = movie_stats.film_return("AMELIE")
    assert answer.pelicula == "Amélie"
    assert answer.anio == amelie.released.year
    assert answer.ganancia == amelie.revenue


def test_real_return_duplicate_titles_pick_the_most_popular(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    groups = Counter(fold(m.title) for m in raw_movies)
    duplicated = [title for title, n in groups.items() if n > 1]
    assert len(duplicated) >= 50
    for title in duplicated:
        films = _by_title(raw_movies, title)
        body = movie_stats.film_return(films[0].title).model_dump()
        assert body["pelicula"] == films[0].title
        assert body["anio"] == films[0].released.year
        assert body["inversion"] == films[0].budget
        assert body["otras"] == [{"titulo": f.title, "anio": f.released.year} for f in films[1:]]


def test_real_return_titanic(movie_stats: MovieStats) -> None:
    body = movie_stats.film_return("Titanic").model_dump()
    assert body["anio"] == 1997
    assert body["inversion"] == 200000000.0
    assert body["otras"] == [{"titulo": "Titanic", "anio": 1953}]


def test_real_return_anio_picks_one(movie_stats: MovieStats, raw_movies: list[RawMovie]) -> None:
    older = next(m for m in raw_movies if m.title == "Titanic" and m.released.year == 1953)
    answer = movie_stats.film_return("titanic", 1953)
    assert answer.pelicula == "Titanic"
    assert answer.anio == 1953
    assert answer.inversion == older.budget
    assert answer.ganacia == older.revenue
    assert answer.retorno == pytest.approx(_expected_return(older))


def test_real_return_les_miserables_spellings_share_one_key(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    films = _by_title(raw_movies, "Les Misérables")
    assert {m.title for m in films} == {"Les Misérables", "Les Miserables"}
    answer = movie_stats.film_return("les miserables")
    assert answer.pelicula == films[0].title
    assert len(answer.otras) == len(films) - 1


def test_real_return_zero_budget_is_zero_not_nan(
    movie_stats: MovieStats, raw_movies: list[RawMovie]
) -> None:
    movie = next(
        m for m in raw_movies if m.budget == 0 and len(_by_title(raw_movies, m.title)) == 1
    )
    answer = movie_stats.film_return(movie.title)
    assert answer.inversion == 0.0
    assert answer.retorno == 0.0

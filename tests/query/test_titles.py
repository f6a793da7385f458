"""TitleCatalogue without HTTP, on the real ETL output: paging, typos, details, every title findable."""

from __future__ import annotations

import pytest

from cinemateca_common.contract import Edition
from cinemateca_common.text import fold_title
from query.data import QueryData
from query.search import LEADING_ARTICLES
from query.titles import TitleCatalogue


@pytest.fixture(scope="module")
def catalogues(query_data: QueryData) -> dict[Edition, TitleCatalogue]:
    """The catalogues as the service builds them at startup."""
    return query_data.titles


def test_paging_walks_every_result_once(catalogues: dict[Edition, TitleCatalogue]) -> None:
    movies = catalogues["movies"]
    everything = movies.search("the", 1, 50)
    total = everything.total_resultados
    assert total > 50
    seen = []
    for page in range(1, everything.total_paginas + 1):
        seen += [r.id for r in movies.search("the", page, 50).resultados]
    assert len(seen) == len(set(seen)) == total
    past = movies.search("the", 10_000, 20)
    assert past.resultados == []
    assert past.total_resultados == total


def test_typo_and_accents(catalogues: dict[Edition, TitleCatalogue]) -> None:
    movies = catalogues["movies"]
    assert movies.search("pulp ficton", 1, 20).resultados[0].titulo == "Pulp Fiction"
    assert movies.search("AMELIE", 1, 20).resultados[0].titulo == "Amélie"


def test_streaming_details_in_the_original_spelling(
    catalogues: dict[Edition, TitleCatalogue],
) -> None:
    streaming = catalogues["streaming"]
    body = streaming.details("ns1").model_dump()
    assert (body["titulo"], body["plataforma"], body["tipo"], body["duracion"]) == (
        "Dick Johnson Is Dead",
        "netflix",
        "movie",
        "90 min",
    )
    assert body["directores"] == ["Kirsten Johnson"]
    assert body["generos"] == ["Documentaries"]
    show = streaming.details("ns2")
    assert show.tipo == "tv show"
    assert show.duracion == "2 temporadas"


@pytest.mark.parametrize("edition", ["movies", "streaming"])
def test_every_catalogue_title_is_found_by_its_own_title_and_id(
    catalogues: dict[Edition, TitleCatalogue], edition: Edition
) -> None:
    """Each title, searched by itself, is an exact match (among the titles of that same name), and
    its id answers its details."""
    catalogue = catalogues[edition]
    rows = [catalogue.search_row(i) for i in range(len(catalogue))]
    exact: dict[str, int] = {}  # titles that are an exact match for a key (article optional)
    for row in rows:
        for key in _exact_keys(row.titulo):
            exact[key] = exact.get(key, 0) + 1
    lost = []
    for i, row in enumerate(rows):
        key = fold_title(row.titulo)
        found = bool(key) and i in catalogue.index.ranked(row.titulo)[: exact[key]]
        if not found or catalogue.details(str(row.id)).titulo != row.titulo:
            lost.append(row.titulo)
    assert lost == []


def _exact_keys(title: str) -> set[str]:
    key = fold_title(title)
    first, _, rest = key.partition(" ")
    return {key, rest} if rest and first in LEADING_ARTICLES else {key}

"""The serving model on the real sample: title resolution rules and invariants of every list (no HTTP)."""

from __future__ import annotations

import numpy as np
import pytest

from cinemateca_common.errors import NotFoundError
from cinemateca_common.text import fold_title
from recommender.model import Recommender


def _others(movies: Recommender, title: str, year: int | None = None) -> list[int]:
    """The indices of the other titles of that name, as a recommendation lists them."""
    return [ref.index for ref in movies.recommend(title, year=year).others]


@pytest.mark.parametrize(
    "typed", ["Toy Story", "toy story", "TOY STORY", "  Toy   Story ", "toy-story!"]
)
def test_case_space_and_punctuation_are_ignored(movies: Recommender, typed: str) -> None:
    index = movies.resolve(typed)
    others = _others(movies, typed)
    assert (movies.titles[index], movies.years[index], movies.ids[index]) == (
        "Toy Story",
        1995,
        862,
    )
    assert others == []


def test_accents_are_ignored_both_ways(movies: Recommender) -> None:
    # "Les Miserables" (1995) and "Les Misérables" (1998) fold to the same name.
    index = movies.resolve("les misérables", year=1998)
    others = _others(movies, "les misérables", year=1998)
    assert (movies.titles[index], movies.years[index]) == ("Les Misérables", 1998)
    assert [(movies.titles[i], movies.years[i]) for i in others] == [("Les Miserables", 1995)]
    index = movies.resolve("LES MISERABLES", year=1995)
    assert (movies.titles[index], movies.years[index]) == ("Les Miserables", 1995)
    index = movies.resolve("deja vu")
    assert movies.titles[index] == "Déjà Vu"


def test_duplicate_title_without_year_uses_the_most_popular(movies: Recommender) -> None:
    index = movies.resolve("Titanic")
    others = _others(movies, "Titanic")
    assert (movies.years[index], movies.ids[index]) == (1997, 597)
    assert [(movies.years[i], movies.ids[i]) for i in others] == [(1953, 16535)]
    assert movies.popularity[index] > movies.popularity[others[0]]


def test_year_picks_among_duplicate_titles(movies: Recommender) -> None:
    index = movies.resolve("titanic", year=1953)
    others = _others(movies, "titanic", year=1953)
    assert (movies.ids[index], [movies.ids[i] for i in others]) == (16535, [597])


def test_unknown_year_of_a_known_title_is_404_with_the_years(movies: Recommender) -> None:
    with pytest.raises(NotFoundError) as err:
        movies.resolve("Titanic", year=1990)
    assert err.value.detail == {
        "message": "No hay ningún título 'Titanic' de 1990 en el catálogo movies; existe de: "
        "1953, 1997.",
        "suggestions": ["Titanic"],
        "years": [1953, 1997],
    }


def test_the_promise_duplicate_row_is_gone_and_never_listed(movies: Recommender) -> None:
    # id 105045 is twice in the raw sample; the ETL keeps one row, so one "The Promise" remains.
    index = movies.resolve("The Promise")
    others = _others(movies, "The Promise")
    assert movies.ids[index] == 105045
    assert others == []
    assert movies.folded.count("the promise") == 1
    recommended = movies.recommend("The Promise", k=50).items
    assert all(fold_title(item.ref.title) != "the promise" for item in recommended)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Toy Storie", "Toy Story"),
        ("Jumanjii", "Jumanji"),
        ("the godfater", "The Godfather"),
        ("Pokemon the first movie", "Pokémon: The First Movie: Mewtwo Strikes Back"),
        ("Godfather", "The Godfather"),
        ("star wars empire strikes", "The Empire Strikes Back"),
    ],
)
def test_unknown_title_suggests_close_titles(
    movies: Recommender, typed: str, expected: str
) -> None:
    with pytest.raises(NotFoundError) as err:
        movies.resolve(typed)
    suggestions = err.value.detail["suggestions"]
    assert expected in suggestions
    assert 1 <= len(suggestions) <= 5
    assert len(set(suggestions)) == len(suggestions)


def test_unrelated_or_symbol_only_title_has_no_match(movies: Recommender) -> None:
    with pytest.raises(NotFoundError) as err:
        movies.resolve("qqqqxzzzzv")
    assert err.value.detail["suggestions"] == []
    with pytest.raises(NotFoundError):
        movies.resolve("!!!")


@pytest.mark.parametrize("edition", ["movies", "streaming"])
def test_every_list_excludes_its_own_title_and_repeats_no_title(
    edition: str, movies: Recommender, streaming: Recommender
) -> None:
    model = movies if edition == "movies" else streaming
    neighbors = np.asarray(model.artifact.neighbors)
    folded = np.array(model.folded, dtype=object)
    assert neighbors.shape == (len(model), 50)
    for i in range(len(model)):
        row = neighbors[i][neighbors[i] >= 0]
        assert len(row) == 50
        names = folded[row]
        assert i not in row
        if folded[i]:
            assert folded[i] not in set(names)
        assert len(set(names[names != ""])) == len(names[names != ""])


def test_scores_are_sorted_and_k_is_respected(movies: Recommender) -> None:
    for k in (1, 5, 50):
        items = movies.recommend("Heat", k=k).items
        assert len(items) == k
        scores = [item.score for item in items]
        assert scores == sorted(scores, reverse=True)
    assert movies.titles_for("Heat") == [item.ref.title for item in movies.recommend("Heat").items]

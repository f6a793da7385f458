"""The country table and the name matching helpers."""

from __future__ import annotations

from cinemateca_common.text import fold
from query.countries import COUNTRIES, country_aliases
from query.matching import FoldedIndex, Suggester
from tests.support.raw import RawMovie, RawTitle


def test_no_spelling_names_two_countries() -> None:
    aliases = country_aliases()  # raises on a conflict
    assert aliases["estados unidos"] == "US"
    assert aliases["reino unido"] == "GB"
    assert aliases["niger"] == "NE"
    assert aliases["nigeria"] == "NG"
    assert aliases["paises bajos"] == "NL"
    assert aliases["ar"] == "AR"


def test_every_iso_code_is_two_upper_case_letters() -> None:
    keys = [c.key for c in COUNTRIES]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert key.startswith("~") or (len(key) == 2 and key.isupper()), key
    assert len(keys) >= 249


def test_every_country_of_the_data_is_in_the_table(
    raw_movies: list[RawMovie], raw_titles: list[RawTitle]
) -> None:
    aliases = country_aliases()
    movie_codes = {code for m in raw_movies for code in m.country_codes}
    assert movie_codes <= set(aliases.values())
    streaming_names = {name for t in raw_titles for name in t.countries}
    assert {name for name in streaming_names if name not in aliases} == set()


def test_spanish_names_required_by_the_issue() -> None:
    aliases = country_aliases()
    expected = {
        "Estados Unidos": "US", "Reino Unido": "GB", "Francia": "FR", "Alemania": "DE",
        "España": "ES", "Italia": "IT", "Japón": "JP", "México": "MX", "Brasil": "BR",
        "Países Bajos": "NL", "Suecia": "SE", "Suiza": "CH", "Rusia": "RU", "China": "CN",
        "Corea del Sur": "KR", "India": "IN", "Canadá": "CA", "Irlanda": "IE", "Bélgica": "BE",
        "Dinamarca": "DK", "Noruega": "NO", "Nueva Zelanda": "NZ", "Sudáfrica": "ZA",
        "Argentina": "AR",
    }  # fmt: skip
    for name, code in expected.items():
        assert aliases[fold(name)] == code, name


def test_folded_index_exact_then_punctuation_insensitive() -> None:
    index = FoldedIndex({"warner bros.": 1, "se7en": 2, "a-b": 3, "a b": 4})
    assert index.get("WARNER BROS.") == 1
    assert index.get("warner bros") == 1
    assert index.get("Se7en!") == 2
    # "a-b" and "a b" share the loose key: only exact folds find them.
    assert index.get("a-b") == 3
    assert index.get("a b") == 4
    assert index.get("a:b") is None
    assert index.get("nothing") is None


def test_suggester_limits_and_cutoff() -> None:
    suggester = Suggester(["Toy Story Collection", "Star Wars Collection", "ARD", "MPI"])
    assert suggester.suggest("toy stori") == ["Toy Story Collection"]
    assert suggester.suggest("zzzzzz") == []
    assert suggester.suggest("") == []
    many = Suggester([f"Name {i}" for i in range(20)])
    assert len(many.suggest("name")) == 5

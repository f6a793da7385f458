"""Title search on small hand-written catalogues: tiers, popularity ties, scripts, typos, paging."""

from __future__ import annotations

import math

import pytest

from query.search import SearchIndex

TITLES = [
    "Toy Story",  # 0
    "Toy Story 2",  # 1
    "The Toy",  # 2
    "Story of a Toy Maker",  # 3
    "The Matrix",  # 4
    "The Matrix Reloaded",  # 5
    "Matrix of Evil",  # 6
    "Pulp Fiction",  # 7
    "Amélie",  # 8
    "Amelia",  # 9
    "반드시 잡는다",  # 10
    "يوم الدين",  # 11
    "忍者ハットリくん",  # 12
    "The Memphis Belle: A Story of a\r\nFlying Fortress",  # 13
    "The Lord of the Rings: The Fellowship of the Ring",  # 14
    "Toy Story",  # 15: a less popular film of the same name
]
POPULARITY = [
    (50.0,),
    (40.0,),
    (1.0,),
    (2.0,),
    (60.0,),
    (30.0,),
    (3.0,),
    (45.0,),
    (20.0,),
    (5.0,),
    (4.0,),
    (1.5,),
    (math.nan,),
    (0.5,),
    (70.0,),
    (0.1,),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(TITLES, POPULARITY)


def test_exact_then_prefix_then_words_ties_by_popularity(index: SearchIndex) -> None:
    # Exact (two films named "Toy Story", the popular one first), prefix, then every word anywhere.
    assert index.ranked("toy story") == [0, 15, 1, 3]
    assert index.ranked("toy sto") == [0, 1, 15, 3]
    assert index.ranked("story toy") == [0, 1, 3, 15]  # all word matches: popularity


def test_leading_article_is_optional_for_exact_and_prefix(index: SearchIndex) -> None:
    # "The Matrix" is exact for "matrix"; the prefix tier (popularity order) follows.
    assert index.ranked("matrix") == [4, 5, 6]
    assert index.ranked("the matrix") == [4, 5]


def test_case_accents_and_punctuation_are_ignored(index: SearchIndex) -> None:
    assert index.ranked("AMELIE") == [8]
    assert index.ranked("amélie!") == [8]
    assert index.ranked("lord of the rings: the fellowship") == [14]


def test_typos_only_when_nothing_else_matches(index: SearchIndex) -> None:
    assert index.ranked("pulp ficton") == [7]
    assert index.ranked("lord of the rigns") == [14]
    assert index.ranked("amelie") == [8]  # exact: "Amelia" is not offered as a guess
    assert index.ranked("zzzzqqq") == []


def test_letters_of_every_script_and_line_breaks(index: SearchIndex) -> None:
    assert index.ranked("반드시 잡는다") == [10]
    assert index.ranked("반드시") == [10]
    assert index.ranked("يوم الدين") == [11]
    assert index.ranked("忍者ハットリくん") == [12]
    assert index.ranked("the memphis belle: a story of a\r\nflying fortress") == [13]
    assert index.ranked("memphis belle") == [13]


def test_nan_popularity_counts_as_least_popular() -> None:
    index = SearchIndex(["Alpha", "Alpha", "Alpha"], [(math.nan,), (1.0,), (2.0,)])
    assert index.ranked("alpha") == [2, 1, 0]


def test_second_popularity_number_breaks_ties() -> None:
    index = SearchIndex(["Beta", "Beta"], [(1.0, 10.0), (1.0, 20.0)])
    assert index.ranked("beta") == [1, 0]


def test_paging_counts_every_match(index: SearchIndex) -> None:
    assert index.ranked("toy") == [2, 0, 1, 15, 3]  # "The Toy" is exact
    first = index.page("toy", 1, 2)
    assert (first.total, first.indices) == (5, [2, 0])
    assert index.page("toy", 3, 2).indices == [3]
    assert index.page("toy", 4, 2).indices == []


def test_blank_or_punctuation_only_query_matches_nothing(index: SearchIndex) -> None:
    assert index.ranked("   ") == []
    assert index.page("?!", 1, 20).total == 0


def test_titles_and_popularity_must_align() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        SearchIndex(["a"], [])

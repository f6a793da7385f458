"""The fast Python-literal cell reader agrees with ast.literal_eval and never loses sync on quotes."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.literals import _by_dict, _by_token, parse_literals, parse_records, parse_values, text_of

TOY_STORY_CAST = (
    "[{'cast_id': 14, 'character': 'Woody (voice)', 'credit_id': '52fe4284c3a36847f8024f95', "
    "'gender': 2, 'id': 31, 'name': 'Tom Hanks', 'order': 0, 'profile_path': "
    "'/pQFoyx7rp09CJTAb932F2g8Nlho.jpg'}, {'cast_id': 15, 'character': \"Buzz's pal, {the} 'voice'\", "
    "'credit_id': '52fe4284c3a36847f8024f99', 'gender': 2, 'id': 12898, 'name': 'Tim Allen', "
    "'order': 1, 'profile_path': None}]"
)


def test_keeps_only_requested_keys_in_both_quote_styles() -> None:
    records = parse_records(TOY_STORY_CAST, ("name", "order"))
    assert records == [{"name": "Tom Hanks", "order": "0"}, {"name": "Tim Allen", "order": "1"}]


def test_text_that_looks_like_structure_inside_a_value_is_not_structure() -> None:
    cell = repr(
        [{"character": "He said 'name': 'Fake', {order: 9}", "name": "Real Name", "order": 3}]
    )
    assert parse_records(cell, ("name", "order")) == [{"name": "Real Name", "order": "3"}]


def test_escapes_and_none_values() -> None:
    cell = repr(
        [{"name": 'It\'s "both" \\ quoted', "job": None}, {"name": "Zoë\ttab", "job": "Director"}]
    )
    assert parse_records(cell, ("name", "job")) == [
        {"name": 'It\'s "both" \\ quoted'},  # a None value is left out
        {"name": "Zoë\ttab", "job": "Director"},
    ]


def test_double_quoted_keys() -> None:
    cell = '[{"name": "A", "order": 2}, {"order": 1, "name": "B"}]'
    assert parse_values(cell, ("name", "order")) == [("A", "2"), ("B", "1")]
    assert _by_dict(cell, ("name", "order")) is not None  # read by the fast path itself


def test_single_dict_cell_as_in_belongs_to_collection() -> None:
    cell = (
        "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'backdrop_path': None}"
    )
    assert parse_records(cell, ("id", "name")) == [{"id": "10194", "name": "Toy Story Collection"}]


def test_values_in_key_order_with_blanks_for_missing_keys() -> None:
    assert parse_values(TOY_STORY_CAST, ("order", "name", "gender", "job")) == [
        ("0", "Tom Hanks", "2", ""),
        ("1", "Tim Allen", "2", ""),
    ]


def test_literals_keep_their_quotes_until_decoded() -> None:
    rows = parse_literals(TOY_STORY_CAST, ("name", "order", "profile_path", "job"))
    assert rows == [
        ("'Tom Hanks'", "0", "'/pQFoyx7rp09CJTAb932F2g8Nlho.jpg'", ""),
        ("'Tim Allen'", "1", "None", ""),
    ]
    assert [text_of(literal) for literal in rows[1]] == ["Tim Allen", "1", "", ""]
    assert text_of(repr('It\'s "quoted"\n')) == 'It\'s "quoted"\n'


def test_empty_cells_give_empty_lists() -> None:
    for cell in (None, "", "  ", "[]", "{}", "nan"):
        assert parse_records(cell, ("name",)) == []


def test_nested_values_fall_back_to_literal_eval() -> None:
    cell = "[{'name': 'A', 'aliases': ['x', 'y'], 'meta': {'k': 1}}]"
    assert parse_records(cell, ("name",)) == [{"name": "A"}]


def test_unreadable_cells_return_none() -> None:
    for cell in (
        "[{'id': 16, 'name': 'Anim",
        "not a literal",
        "[1, 2]",
        "{'name': 'x'}}",
        "/poster.jpg",
    ):
        assert parse_records(cell, ("name",)) is None, cell


_values = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 10**6),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
_keys = st.sampled_from(
    ["cast_id", "character", "credit_id", "gender", "id", "name", "order", "job"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(_keys, _values, max_size=8), max_size=40))
def test_agrees_with_literal_eval_on_any_list_of_flat_dicts(items: list[dict[str, object]]) -> None:
    cell = repr(items)
    keys = ("name", "order", "character")
    expected = [
        {k: str(v) for k, v in item.items() if k in keys and v is not None and str(v)}
        for item in ast.literal_eval(cell)
    ]
    assert parse_records(cell, keys) == expected
    if items:  # both regex paths read it themselves, without the literal_eval fallback
        as_values = [tuple(record.get(key, "") for key in keys) for record in expected]
        for path in (_by_dict, _by_token):
            rows = path(cell, keys)
            assert rows is not None
            assert [tuple(map(text_of, row)) for row in rows] == as_values

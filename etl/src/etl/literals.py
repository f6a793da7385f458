"""Fast, safe reader for the raw files' Python-literal cells (``[{'id': 16, 'name': 'Animation'}]``).

The Kaggle files store nested values as ``repr()`` of lists of flat dicts. ``ast.literal_eval`` on every
cell is correct but slow (the full credits file is 190 MB), so :func:`parse_literals` tries, in order:

1. One compiled regex per requested key set that matches a whole dict at a time and captures only the
   requested keys' values (``findall`` in C, one tuple per dict). String literals of either quote style,
   with backslash escapes, are consumed whole, so text inside a value (a character named
   ``"Bob's {friend}, 'name': x"``) can never be mistaken for structure. It is accepted only when the
   matched dicts plus ``", "`` separators and the brackets cover the cell exactly.
2. Otherwise a tokenizer regex that reads ``{``, ``}`` and ``'key': value`` pairs left to right (any
   spacing), rejecting nested values.
3. Otherwise ``ast.literal_eval``. A cell that none of them can read returns ``None``, for the caller
   to count.

:func:`parse_literals` returns value literals so that hot callers decode (:func:`text_of`) only the
values they keep; :func:`parse_values` and :func:`parse_records` return decoded text.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Collection

Record = dict[str, str]
Values = tuple[str, ...]
_whole = operator.itemgetter(0)

# String literal bodies, unrolled ("normal* (escape normal*)*") because that is several times faster
# in the re engine than an alternation per character.
_SQ = r"[^'\\]*(?:\\.[^'\\]*)*"
_DQ = r'[^"\\]*(?:\\.[^"\\]*)*'
# Bare values as repr() writes them: numbers, None, booleans, nan and inf.
_BARE = r"-?[0-9][0-9.eE+-]*|None|True|False|nan|-?inf"
_KEY = r"""(?:'[^'\\]*'|"[^"\\]*")"""
_VALUE = rf"""(?:'{_SQ}'|"{_DQ}"|(?:{_BARE}))"""

# Tokenizer groups: 1 "{", 2 "}", 3/4 key (single/double quoted), 5/6 string value, 7 bare value.
# The last two alternatives consume any other string literal whole, so scanning never restarts
# inside a string.
_TOKEN = re.compile(
    r"(\{)|(\})"
    r"""|(?:'([^'\\]*)'|"([^"\\]*)")\s*:\s*"""
    rf"""(?:'({_SQ})'|"({_DQ})"|({_BARE})(?=\s*[,}}]))"""
    rf"|'{_SQ}'" + rf'|"{_DQ}"',
    re.DOTALL,
)
_EMPTY = frozenset({"", "[]", "{}", "nan", "NaN", "None"})


@functools.lru_cache(maxsize=32)
def _record_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """A regex matching one flat dict; group 1 is the whole dict, then one group per key holding
    that key's value literal (quotes included). A group inside the repetition keeps its last
    capture, which is the value of that key wherever it sits in the dict."""
    wanted = "".join(
        rf"""(?:'{re.escape(key)}'|"{re.escape(key)}"):\s*({_VALUE})|""" for key in keys
    )
    pair = rf"(?>\s*(?:{wanted}{_KEY}:\s*{_VALUE})\s*,?)"
    return re.compile(rf"(\{{{pair}*\s*\}})", re.DOTALL)


def text_of(literal: str) -> str:
    """The text of one value literal as :func:`parse_literals` returns it (quotes included):
    a string's content with escapes decoded, a number as written, "" for ``None`` or a missing key."""
    if not literal or literal == "None":
        return ""
    if literal[0] in "'\"":
        return str(ast.literal_eval(literal)) if "\\" in literal else literal[1:-1]
    return literal


def _by_dict(text: str, keys: tuple[str, ...]) -> list[Values] | None:
    matches = _record_pattern(keys).findall(text)
    if not matches:
        return None
    covered = sum(map(len, map(_whole, matches)))
    if text[0] == "[":
        covered += 2 * len(matches)  # ", " between dicts, and the two brackets
    elif len(matches) != 1:
        return None
    if covered != len(text):
        return None
    return [match[1:] for match in matches]


def _by_token(text: str, keys: tuple[str, ...]) -> list[Values] | None:
    rows: list[Values] = []
    current: dict[str, str] | None = None
    for opening, closing, key1, key2, single, double, bare in _TOKEN.findall(text):
        if opening:
            if current is not None:  # nested dict: not a flat record list
                return None
            current = {}
        elif closing:
            if current is None:
                return None
            rows.append(tuple(current.get(key, "") for key in keys))
            current = None
        else:
            key = key1 or key2
            if not key or current is None:  # a string outside a pair, or a pair outside a dict
                return None
            if key in keys:
                current[key] = bare or (f"'{single}'" if single or not double else f'"{double}"')
    if current is not None or not rows:
        return None
    return rows


def _by_literal_eval(text: str, keys: tuple[str, ...]) -> list[Values] | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list | tuple):
        return None
    rows: list[Values] = []
    for item in items:
        if not isinstance(item, dict):
            return None
        rows.append(tuple(repr(item[key]) if key in item else "" for key in keys))
    return rows


def parse_literals(cell: str | None, keys: tuple[str, ...]) -> list[Values] | None:
    """One tuple per dict of a Python-literal list-of-dicts (or single dict) cell: the value
    literals of ``keys`` in that order (``'Tom Hanks'`` with its quotes, ``0``, ``None``), "" where
    the key is missing. Decode one with :func:`text_of`; hot paths decode only what they keep.
    An empty or missing cell gives ``[]``; a cell that cannot be read at all gives ``None``.
    """
    if cell is None:
        return []
    text = cell.strip()
    if text in _EMPTY:
        return []
    if (text[0], text[-1]) in (("[", "]"), ("{", "}")):
        rows = _by_dict(text, keys)
        if rows is None:
            rows = _by_token(text, keys)
        if rows is not None:
            return rows
    return _by_literal_eval(text, keys)


def parse_values(cell: str | None, keys: tuple[str, ...]) -> list[Values] | None:
    """Like :func:`parse_literals`, with every value decoded by :func:`text_of`."""
    rows = parse_literals(cell, keys)
    if rows is None:
        return None
    return [tuple(map(text_of, row)) for row in rows]


def parse_records(cell: str | None, keys: Collection[str]) -> list[Record] | None:
    """Like :func:`parse_values`, as dicts that leave out keys whose value is missing, None or ""."""
    ordered = tuple(keys)
    rows = parse_values(cell, ordered)
    if rows is None:
        return None
    return [{k: v for k, v in zip(ordered, row, strict=True) if v} for row in rows]

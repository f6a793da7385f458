"""Fast, safe reader for the raw files' Python-literal cells (``[{'id': 16, 'name': 'Animation'}]``).

The Kaggle files store nested values as ``repr()`` of lists of flat dicts. ``ast.literal_eval`` on every
cell is correct but slow (the full credits file is 190 MB), so :func:`parse_records` tries, in order:

1. One compiled regex per requested key set that matches a whole dict at a time and captures only the
   requested keys' values (``findall`` in C, one tuple per dict). String literals of either quote style,
   with backslash escapes, are consumed whole, so text inside a value (a character named
   ``"Bob's {friend}, 'name': x"``) can never be mistaken for structure. It is accepted only when the
   matched dicts plus ``", "`` separators and the brackets cover the cell exactly.
2. Otherwise a tokenizer regex that reads ``{``, ``}`` and ``'key': value`` pairs left to right (any
   spacing), rejecting nested values.
3. Otherwise ``ast.literal_eval``. A cell that none of them can read returns ``None``, for the caller
   to count.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Collection

Record = dict[str, str]

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
    """A regex matching one flat dict; group 1 is the whole dict, then (single-quoted, double-quoted,
    bare) value groups per key. A group inside the repetition keeps its last capture, which is the
    value of that key wherever it sits in the dict."""
    wanted = "".join(
        rf"""'{re.escape(key)}':\s*(?:'({_SQ})'|"({_DQ})"|({_BARE}))|""" for key in keys
    )
    pair = rf"(?>\s*(?:{wanted}{_KEY}:\s*{_VALUE})\s*,?)"
    return re.compile(rf"(\{{{pair}*\s*\}})", re.DOTALL)


def _unescape(value: str, quote: str) -> str:
    """Decode backslash escapes of a string literal body (rare, so the slow exact way)."""
    return str(ast.literal_eval(quote + value + quote))


def _value(single: str, double: str, bare: str) -> str | None:
    if single:
        return _unescape(single, "'") if "\\" in single else single
    if double:
        return _unescape(double, '"') if "\\" in double else double
    if bare and bare != "None":
        return bare
    return None


def _by_dict(text: str, keys: tuple[str, ...]) -> list[Record] | None:
    matches = _record_pattern(keys).findall(text)
    if not matches:
        return None
    covered = sum(len(match[0]) for match in matches)
    if text[0] == "[":
        covered += 2 * len(matches)  # ", " between dicts, and the two brackets
    elif len(matches) != 1:
        return None
    if covered != len(text):
        return None
    records: list[Record] = []
    for match in matches:
        record: Record = {}
        for i, key in enumerate(keys):
            value = _value(match[1 + 3 * i], match[2 + 3 * i], match[3 + 3 * i])
            if value:
                record[key] = value
        records.append(record)
    return records


def _by_token(text: str, keys: Collection[str]) -> list[Record] | None:
    records: list[Record] = []
    current: Record | None = None
    for opening, closing, key1, key2, single, double, bare in _TOKEN.findall(text):
        if opening:
            if current is not None:  # nested dict: not a flat record list
                return None
            current = {}
        elif closing:
            if current is None:
                return None
            records.append(current)
            current = None
        else:
            key = key1 or key2
            if not key or current is None:  # a string outside a pair, or a pair outside a dict
                return None
            if key in keys:
                value = _value(single, double, bare)
                if value:
                    current[key] = value
                else:
                    current.pop(key, None)
    if current is not None or not records:
        return None
    return records


def _by_literal_eval(text: str, keys: Collection[str]) -> list[Record] | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list | tuple):
        return None
    records: list[Record] = []
    for item in items:
        if not isinstance(item, dict):
            return None
        record: Record = {}
        for key in keys:
            found = item.get(key)
            if found is not None and str(found):
                record[key] = str(found)
        records.append(record)
    return records


def parse_records(cell: str | None, keys: Collection[str]) -> list[Record] | None:
    """The dicts of a Python-literal list-of-dicts (or single dict) cell, keeping only ``keys``.

    Values come back as strings (numbers in their literal form); a key whose value is missing,
    ``None`` or an empty string is left out of its record. An empty or missing cell gives ``[]``;
    a cell that cannot be read at all gives ``None``.
    """
    if cell is None:
        return []
    text = cell.strip()
    if text in _EMPTY:
        return []
    if (text[0], text[-1]) in (("[", "]"), ("{", "}")):
        ordered = tuple(keys)
        records = _by_dict(text, ordered)
        if records is None:
            records = _by_token(text, ordered)
        if records is not None:
            return records
    return _by_literal_eval(text, keys)

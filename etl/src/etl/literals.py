"""Fast, safe reader for the raw files' Python-literal cells (``[{'id': 16, 'name': 'Animation'}]``).

The Kaggle files store nested values as ``repr()`` of lists of flat dicts. ``ast.literal_eval`` on every
cell is correct but slow (the full credits file is 190 MB). :func:`parse_records` instead runs one
compiled regex over the cell that yields, left to right, dict openings, dict closings and
``'key': value`` pairs. Every string literal (either quote style, with backslash escapes) is consumed
whole by the regex, so text inside a value (a character named ``"Bob's {friend}, 'name': x"``) can never be
mistaken for structure. Only the requested keys are kept. A cell the fast path cannot read (nested
values, unbalanced braces, stray text) falls back to ``ast.literal_eval``; a cell that neither can read
returns ``None`` so that the caller counts it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection

Record = dict[str, str | None]

# String literal bodies, unrolled ("normal* (escape normal*)*") because that is several times faster
# in the re engine than an alternation per character.
_SQ = r"[^'\\]*(?:\\.[^'\\]*)*"
_DQ = r'[^"\\]*(?:\\.[^"\\]*)*'
# Groups: 1 "{", 2 "}", 3/4 key (single/double quoted), 5/6 string value (single/double quoted),
# 7 bare value (number, None, True, False, or the nan/inf that repr() writes). The last two alternatives consume any other string
# literal whole, so scanning never restarts inside a string.
_TOKEN = re.compile(
    r"(\{)|(\})"
    r"""|(?:'([^'\\]*)'|"([^"\\]*)")\s*:\s*"""
    rf"""(?:'({_SQ})'|"({_DQ})"|(-?[0-9][0-9.eE+-]*|None|True|False|nan|-?inf)(?=\s*[,}}]))"""
    rf"|'{_SQ}'" + rf'|"{_DQ}"',
    re.DOTALL,
)
_EMPTY = frozenset({"", "[]", "{}", "nan", "NaN", "None"})


def _unescape(value: str, quote: str) -> str:
    """Decode backslash escapes of a string literal body (rare, so the slow exact way)."""
    decoded = ast.literal_eval(quote + value + quote)
    return str(decoded)


def _fast(cell: str, keys: Collection[str]) -> list[Record] | None:
    records: list[Record] = []
    current: Record | None = None
    for opening, closing, key1, key2, sval1, sval2, bare in _TOKEN.findall(cell):
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
            if not key:  # a bare string literal outside a pair
                return None
            if current is None:
                return None
            if key not in keys:
                continue
            if sval1:
                current[key] = _unescape(sval1, "'") if "\\" in sval1 else sval1
            elif sval2:
                current[key] = _unescape(sval2, '"') if "\\" in sval2 else sval2
            elif bare and bare != "None":
                current[key] = bare
            else:
                current[key] = "" if not bare else None
    if current is not None:
        return None
    return records


def _slow(cell: str, keys: Collection[str]) -> list[Record] | None:
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list | tuple):
        return None
    records: list[Record] = []
    for item in items:
        if not isinstance(item, dict):
            return None
        records.append({k: None if item[k] is None else str(item[k]) for k in keys if k in item})
    return records


def parse_records(cell: str | None, keys: Collection[str]) -> list[Record] | None:
    """The dicts of a Python-literal list-of-dicts (or single dict) cell, keeping only ``keys``.

    Values come back as strings (numbers in their literal form), ``None`` for a literal ``None``.
    An empty or missing cell gives ``[]``; a cell that cannot be read at all gives ``None``.
    """
    if cell is None:
        return []
    text = cell.strip()
    if text in _EMPTY:
        return []
    first, last = text[0], text[-1]
    if (first, last) in (("[", "]"), ("{", "}")):
        records = _fast(text, keys)
        if records:
            return records
    return _slow(text, keys)

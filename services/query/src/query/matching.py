"""Name matching: folded exact lookup with a punctuation-insensitive fallback, and close-name suggestions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
from rapidfuzz import fuzz, process

from cinemateca_common.errors import InvalidValueError
from cinemateca_common.text import fold, fold_title

T = TypeVar("T")
K = TypeVar("K")

SUGGESTION_LIMIT = 5
SUGGESTION_CUTOFF = 75.0


class Suggester:
    """Up to five display names close to a query (rapidfuzz WRatio over the folded names, score >= 75)."""

    def __init__(self, names: Iterable[str]) -> None:
        seen: dict[str, str] = {}
        for name in names:
            seen.setdefault(fold(name), name)
        self._keys = list(seen)
        self._names = list(seen.values())

    def suggest(self, query: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
        """Display names ordered by similarity, best first; empty when nothing is close."""
        key = fold(query)
        if not key or not self._keys:
            return []
        matches = process.extract(
            key, self._keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGESTION_CUTOFF
        )
        return [self._names[index] for _, _, index in matches]


class FoldedIndex(Generic[T]):
    """Values keyed by folded name; a lookup tries :func:`fold`, then :func:`fold_title`.

    The fallback makes punctuation optional ("Se7en: 1995" vs "se7en 1995"); it is used only when the
    punctuation-insensitive key names exactly one folded key.
    """

    def __init__(self, values: Mapping[str, T]) -> None:
        self._values = dict(values)
        loose: dict[str, str | None] = {}
        for key in self._values:
            loose_key = fold_title(key)
            loose[loose_key] = key if loose.get(loose_key, key) == key else None
        self._loose = {k: v for k, v in loose.items() if v is not None}

    def __len__(self) -> int:
        return len(self._values)

    def get(self, text: str) -> T | None:
        """The value whose folded key equals the folded text, else the unique loose match, else None."""
        key = fold(text)
        value = self._values.get(key)
        if value is not None:
            return value
        loose_key = self._loose.get(fold_title(text))
        return None if loose_key is None else self._values[loose_key]


def closed_set(
    keys: Mapping[str, K],
    value: str,
    *,
    parameter: str,
    what: str,
    valid_values: Sequence[Any],
    one: str = "uno",
) -> K:
    """The key of a value from a closed set, matched by :func:`fold`; 422 listing the valid values.

    ``what`` names the kind of value in Spanish with its article ("un mes en castellano"), ``one``
    agrees with it ("una" for "una clasificación").
    """
    key = keys.get(fold(value))
    if key is None:
        raise InvalidValueError.outside(parameter, value, what, valid_values, one=one)
    return key


def list_cell(cell: Any) -> list[str]:
    """A Parquet list cell as its non-blank strings, stripped (a null cell is an empty list)."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return []
    return [str(item).strip() for item in cell if item is not None and str(item).strip()]

"""Text folding shared by every service: one definition of "the same name, however it is typed"."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive key: NFKD, drop combining marks, casefold, collapse whitespace.

    ``fold("  Estados  Unídos ") == "estados unidos"``; punctuation is kept.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WS.sub(" ", stripped.casefold()).strip()


def fold_title(text: str) -> str:
    """Like :func:`fold`, and punctuation-insensitive too: ``"Se7en: (1995)!" -> "se7en 1995"``."""
    return _WS.sub(" ", _NON_ALNUM.sub(" ", fold(text))).strip()

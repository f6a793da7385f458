"""Text folding shared by every service: one definition of "the same name, however it is typed"."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_NON_ALNUM_ASCII = re.compile(r"[^0-9a-z]+")
# Accents are dropped from letters of the alphabetic scripts people type without them (Latin, Greek,
# Cyrillic: U+0000-U+052F, and Latin Extended Additional / Greek Extended). Elsewhere a combining mark
# is part of the letter (a Japanese dakuten, a Devanagari vowel sign) and stays.
_ACCENTED_RANGES = ((0x0000, 0x052F), (0x1E00, 0x1FFF))


def _accent_free(base: str) -> bool:
    code = ord(base)
    return any(low <= code <= high for low, high in _ACCENTED_RANGES)


def fold(text: str) -> str:
    """Case- and accent-insensitive key in every script; punctuation is kept.

    NFKD, drop the combining marks of Latin, Greek and Cyrillic letters, NFKC (so Hangul syllables and
    kana with their marks recompose), casefold, collapse whitespace (line breaks included):
    ``fold("  Estados  Unídos ") == "estados unidos"``, ``fold("반드시 잡는다") == "반드시 잡는다"``.
    """
    if text.isascii():  # the common case, and identical to the general path below
        return _WS.sub(" ", text.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base and _accent_free(base):
                continue
        else:
            base = ch
        kept.append(ch)
    composed = unicodedata.normalize("NFKC", "".join(kept))
    return _WS.sub(" ", composed.casefold()).strip()


def fold_title(text: str) -> str:
    """Like :func:`fold`, and punctuation-insensitive too: ``"Se7en: (1995)!" -> "se7en 1995"``.

    Letters and digits of every script are kept (``"忍者ハットリくん"`` stays itself); a title made only of
    punctuation folds to its :func:`fold` so that it still has a key.
    """
    folded = fold(text)
    if folded.isascii():
        return _WS.sub(" ", _NON_ALNUM_ASCII.sub(" ", folded)).strip() or folded
    # Letters and digits of any script and the marks that belong to them (a Devanagari vowel sign is a
    # mark, not a letter) are kept; everything else becomes a space.
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in folded
    )
    return _WS.sub(" ", kept).strip() or folded

"""Title search over one edition: exact, prefix, word and typo matches, best first, built once.

A query and every title are compared by :func:`cinemateca_common.text.fold_title` (case, accents and
punctuation ignored, letters of every script kept). Matches come in four tiers, each one before the
next, and inside a tier the more popular title first:

1. exact: the title is the query (a leading article is optional: "matrix" is "The Matrix");
2. prefix: the title begins with the query ("toy sto" -> "Toy Story", "Toy Story 2");
3. word: every word of the query is a word of the title, the last one possibly cut short
   ("story toy" and "lord rings" find "Toy Story" and "The Lord of the Rings");
4. typo, only when the first three tiers find nothing ("did you mean"): the title is within a few
   edits of the query (``fuzz.ratio`` >= 80, the 50 closest), or every word of the query is a word
   of the title or within a few edits of one ("pulp ficton", "lord of the rigns"). Inside this tier
   the closer match comes first, then the more popular title.

Exact and prefix matches are ranges of a sorted key list (bisect), word matches intersections of
posting arrays; only the typo tier scans every title (rapidfuzz's C implementation), and only for a
query that nothing else matches, so a correctly typed query never pays for it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from cinemateca_common.text import fold_title

MAX_QUERY: Final = 200
TYPO_CUTOFF: Final = 80.0
TYPO_LIMIT: Final = 50
WORD_TYPO_MIN_LENGTH: Final = 4
WORD_TYPO_CHOICES: Final = 5
LEADING_ARTICLES: Final = frozenset(
    {"the", "a", "an", "el", "la", "los", "las", "le", "les", "l", "il", "lo", "der", "die", "das"}
)
_END: Final = "\U0010ffff"

Ranks = npt.NDArray[np.int64]
_EMPTY: Final[Ranks] = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class SearchPage:
    """One page of matches: catalogue row indices, best first, and the number of matches in all."""

    total: int
    indices: list[int]


def _without_article(key: str) -> str | None:
    first, _, rest = key.partition(" ")
    return rest if rest and first in LEADING_ARTICLES else None


def _popularity_order(popularity: Sequence[Sequence[float]]) -> list[int]:
    """Row indices, most popular first; NaN counts as least popular, ties keep row order."""

    def key(i: int) -> tuple[float, ...]:
        return tuple(-v if not math.isnan(v) else math.inf for v in popularity[i])

    return sorted(range(len(popularity)), key=key)


class SearchIndex:
    """The search structures of one list of titles.

    ``popularity[i]`` is a tuple of numbers for row ``i``, compared left to right, larger first
    (movies: popularity, vote count; streaming: rating count, mean rating).
    """

    def __init__(self, titles: Sequence[str], popularity: Sequence[Sequence[float]]) -> None:
        if len(titles) != len(popularity):
            raise ValueError("titles and popularity differ in length")
        # Internally a row is its popularity rank, so sorting ranks sorts by popularity.
        order = _popularity_order(popularity)
        self._row_of_rank = np.array(order, dtype=np.int64)
        keys = [fold_title(titles[row]) for row in order]

        # Exact and prefix tiers: (key, rank) sorted; titles with a leading article twice.
        pairs = [(key, rank) for rank, key in enumerate(keys)]
        pairs += [(bare, rank) for rank, key in enumerate(keys) if (bare := _without_article(key))]
        pairs.sort()
        self._sorted_keys = [key for key, _ in pairs]
        self._sorted_ranks = np.array([rank for _, rank in pairs], dtype=np.int64)

        # Word tier: posting arrays (ranks, ascending) per word, words sorted for prefix ranges.
        postings: dict[str, list[int]] = {}
        for rank, key in enumerate(keys):
            for word in set(key.split()):
                postings.setdefault(word, []).append(rank)
        self._words = sorted(postings)
        self._word_pos = {word: i for i, word in enumerate(self._words)}
        self._postings = [np.array(postings[word], dtype=np.int64) for word in self._words]

        # Typo tier: each distinct key once, with its ranks.
        by_key: dict[str, list[int]] = {}
        for rank, key in enumerate(keys):
            by_key.setdefault(key, []).append(rank)
        self._typo_keys = list(by_key)  # first-seen order, as dict.fromkeys(keys)
        self._typo_ranks = list(by_key.values())

    def __len__(self) -> int:
        return len(self._row_of_rank)

    # -- tiers -----------------------------------------------------------------------------------

    def _key_range(self, low: str, high: str) -> Ranks:
        lo = bisect.bisect_left(self._sorted_keys, low)
        hi = bisect.bisect_left(self._sorted_keys, high, lo)
        return np.sort(self._sorted_ranks[lo:hi])

    def _exact(self, query: str) -> Ranks:
        return self._key_range(query, query + "\0")

    def _prefix(self, query: str) -> Ranks:
        return self._key_range(query, query + _END)

    def _word_postings(self, word: str, *, prefix: bool) -> Ranks | None:
        """Ranks of the titles holding ``word`` (or, with ``prefix``, a word it begins); None if none."""
        if not prefix:
            pos = self._word_pos.get(word)
            return None if pos is None else self._postings[pos]
        lo = bisect.bisect_left(self._words, word)
        hi = bisect.bisect_left(self._words, word + _END, lo)
        if lo == hi:
            return None
        if hi - lo == 1:
            return self._postings[lo]
        return np.unique(np.concatenate(self._postings[lo:hi]))

    def _query_postings(self, words: list[str]) -> Iterator[tuple[str, Ranks | None]]:
        """Each query word with the ranks of the titles holding it, lazily (callers stop at a miss);
        the last word may be cut short (when it has two letters or more)."""
        for i, word in enumerate(words):
            last = i == len(words) - 1
            yield word, self._word_postings(word, prefix=last and len(word) >= 2)

    def _words_match(self, words: list[str]) -> Ranks:
        """Titles holding every word; the last one may be cut short (when it has two letters or more)."""
        found: list[Ranks] = []
        for _, ranks in self._query_postings(words):
            if ranks is None:
                return _EMPTY
            found.append(ranks)
        return _intersect(found)

    def _typos(self, query: str, words: list[str]) -> Ranks:
        """Typo matches, closest first, then by popularity."""
        score: dict[int, float] = {}
        for _, value, pos in process.extract(
            query, self._typo_keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=TYPO_LIMIT
        ):
            for rank in self._typo_ranks[pos]:
                score[rank] = max(score.get(rank, 0.0), float(value))
        for rank, value in self._word_typos(words).items():
            score[rank] = max(score.get(rank, 0.0), value)
        ordered = sorted(score, key=lambda rank: (-score[rank], rank))
        return np.array(ordered, dtype=np.int64)

    def _word_typos(self, words: list[str]) -> dict[int, float]:
        """Titles whose words match every query word, some of them within a few edits.

        Only words absent from every title are looked up fuzzily; a title's score is the mean
        similarity of the query's words (a whole word counts 100), so one typo among many right
        words still ranks high.
        """
        if not words or all(word in self._word_pos for word in words):
            return {}
        per_word: list[dict[int, float]] = []
        for word, exact in self._query_postings(words):
            if exact is not None:
                per_word.append(dict.fromkeys(exact.tolist(), 100.0))
                continue
            if len(word) < WORD_TYPO_MIN_LENGTH:
                return {}
            scores: dict[int, float] = {}
            for _, value, pos in process.extract(
                word,
                self._words,
                scorer=fuzz.ratio,
                score_cutoff=TYPO_CUTOFF,
                limit=WORD_TYPO_CHOICES,
            ):
                for rank in self._postings[pos].tolist():
                    scores[rank] = max(scores.get(rank, 0.0), float(value))
            if not scores:
                return {}
            per_word.append(scores)
        per_word.sort(key=len)
        common = set(per_word[0])
        for scores in per_word[1:]:
            common.intersection_update(scores)
        count = len(per_word)
        return {rank: sum(scores[rank] for scores in per_word) / count for rank in common}

    # -- queries ---------------------------------------------------------------------------------

    def _ranks(self, query: str) -> Ranks:
        key = fold_title(query[: MAX_QUERY * 4])[:MAX_QUERY]
        if not key:
            return _EMPTY
        words = key.split()
        ranks = np.concatenate([self._exact(key), self._prefix(key), self._words_match(words)])
        if not len(ranks):
            return self._typos(key, words)
        _, first = np.unique(ranks, return_index=True)
        return ranks[np.sort(first)]

    def ranked(self, query: str) -> list[int]:
        """Every matching row index, best first."""
        rows: list[int] = self._row_of_rank[self._ranks(query)].tolist()
        return rows

    def page(self, query: str, page: int, per_page: int) -> SearchPage:
        """The ``page``-th (1-based) page of ``per_page`` matches."""
        ranks = self._ranks(query)
        start = (page - 1) * per_page
        return SearchPage(
            total=len(ranks), indices=self._row_of_rank[ranks[start : start + per_page]].tolist()
        )


def _intersect(arrays: list[Ranks]) -> Ranks:
    arrays = sorted(arrays, key=len)
    out = arrays[0]
    for other in arrays[1:]:
        if not len(out):
            break
        out = np.intersect1d(out, other, assume_unique=True)
    return out

"""The serving-side recommender: load an artifact, resolve a title, return its top-k with reasons.

Imports only numpy, rapidfuzz and the shared library, so the service stays small and starts fast.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from rapidfuzz import fuzz, process

from cinemateca_common.contract import Edition
from cinemateca_common.errors import NotFoundError
from cinemateca_common.text import fold_title
from recommender import artifact

log = logging.getLogger(__name__)

SUGGESTIONS: Final = 5
FUZZY_CUTOFF: Final = 60.0
NAMES_IN_REASON: Final = 3
MAX_QUERY: Final = 200  # longer queries are cut for fuzzy matching: titles are far shorter


@dataclass(frozen=True)
class TitleRef:
    """One catalogue title as the API shows it."""

    index: int
    id: Any
    title: str
    year: int | None


@dataclass(frozen=True)
class Item:
    """One recommended title: its score and a short reason in Spanish."""

    ref: TitleRef
    score: float
    reason: str


@dataclass(frozen=True)
class Recommendation:
    """The resolved query title, the other titles of that name, and the recommended items."""

    query: TitleRef
    others: list[TitleRef]
    items: list[Item]


@dataclass(frozen=True)
class SetItem:
    """One title recommended for a set: its score, reason and the input titles it relates to."""

    ref: TitleRef
    score: float
    reason: str
    related: list[TitleRef]


@dataclass(frozen=True)
class SetRecommendation:
    """The resolved input titles and the titles recommended for the set."""

    queries: list[TitleRef]
    items: list[SetItem]


_TITLE_WITH_YEAR = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>\d{4})\)\s*$")


def _join(values: Sequence[str]) -> str:
    return ", ".join(values[:NAMES_IN_REASON])


class Recommender:
    """Top-k lookups over one edition's precomputed neighbor table."""

    def __init__(self, art: artifact.Artifact) -> None:
        self.artifact = art
        self.edition = art.edition
        t = art.titles
        self.ids: list[Any] = t["id"]
        self.titles: list[str] = t["title"]
        self.years: list[int | None] = t["year"]
        self.popularity: list[float] = t["popularity"]
        self.folded: list[str] = t["folded"]
        self.names = art.names
        self.components: list[str] = art.metadata["components"]
        self.by_folded: dict[str, list[int]] = {}
        for i, key in enumerate(self.folded):
            self.by_folded.setdefault(key, []).append(i)
        for group in self.by_folded.values():
            group.sort(key=lambda i: -self.popularity[i])
        self.choices = list(self.by_folded)
        self.by_id = {str(title_id).lower(): i for i, title_id in enumerate(self.ids)}

    @classmethod
    def load(cls, model_dir: Path, edition: Edition) -> Recommender:
        """Load one edition's artifact from ``model_dir`` (arrays memory-mapped)."""
        return cls(artifact.load(model_dir, edition))

    @property
    def version(self) -> str:
        return self.artifact.version

    @property
    def k(self) -> int:
        return int(self.artifact.neighbors.shape[1])

    def __len__(self) -> int:
        return len(self.ids)

    def ref(self, index: int) -> TitleRef:
        return TitleRef(
            index=index, id=self.ids[index], title=self.titles[index], year=self.years[index]
        )

    def suggestions(self, query: str) -> list[str]:
        """Up to 5 catalogue titles close to ``query``: titles it begins, then typo and word matches.

        ``fuzz.ratio`` catches typos and missing accents ("Toy Storie"), ``token_set_ratio`` partial
        titles ("lord of rings"); ties go to the more popular title.
        """
        key = fold_title(query)[:MAX_QUERY]
        if not key:
            return []
        best: dict[str, float] = {}
        if len(key) >= 3:
            for choice in self.choices:
                if choice.startswith(key):
                    best[choice] = 100.0
        for scorer, cutoff in ((fuzz.ratio, 60.0), (fuzz.token_set_ratio, 80.0)):
            for choice, score, _ in process.extract(
                key, self.choices, scorer=scorer, limit=10, score_cutoff=cutoff
            ):
                best[choice] = max(best.get(choice, 0.0), float(score))
        ranked = sorted(
            best, key=lambda c: (-round(best[c]), -self.popularity[self.by_folded[c][0]])
        )
        out: list[str] = []
        for choice in ranked:
            title = self.titles[self.by_folded[choice][0]]
            if title not in out:
                out.append(title)
        return out[:SUGGESTIONS]

    def resolve(self, title: str, year: int | None = None) -> int:
        """The index of ``title`` (the other titles of that name: :meth:`recommend_index`).

        Matching is on :func:`fold_title` (case, accents and punctuation ignored). With several titles
        of that name, ``year`` picks one, otherwise the most popular is used. No match -> NotFoundError
        with up to 5 suggestions.
        """
        key = fold_title(title)
        candidates = self.by_folded.get(key) if key else None
        if not candidates:
            raise NotFoundError(
                f"No hay ningún título '{title}' en el catálogo {self.edition}.",
                suggestions=self.suggestions(title),
            )
        chosen = candidates
        if year is not None:
            chosen = [i for i in candidates if self.years[i] == year]
            if not chosen:
                years = sorted({y for i in candidates if (y := self.years[i]) is not None})
                raise NotFoundError(
                    f"No hay ningún título '{title}' de {year} en el catálogo {self.edition};"
                    f" existe de: {', '.join(map(str, years)) or 'un año desconocido'}.",
                    suggestions=[self.titles[candidates[0]]],
                    years=years,
                )
        return chosen[0]

    def index_of(self, title_id: str) -> int:
        """The index of the title with that catalogue id (``862``, ``ns1``); NotFoundError if none."""
        index = self.by_id.get(title_id.strip().lower())
        if index is None:
            raise NotFoundError(
                f"No hay ningún título con id '{title_id}' en el catálogo {self.edition}."
            )
        return index

    def reason(self, query: int, neighbor: int, terms: Sequence[float]) -> str:
        """A short Spanish reason: the (at most two) largest terms of the score that name something shared.

        The popularity tie-break is never a reason: a title is listed for what it shares with the query.
        """
        parts: list[str] = []
        values = np.asarray(terms, dtype=np.float32)
        # "Same decade" explains little: it is named only when nothing else is shared.
        order = sorted(
            np.argsort(-values, kind="stable").tolist(),
            key=lambda c: self.components[c] == "decade",
        )
        for c in order:
            if values[c] <= 0 or len(parts) == 2:
                break
            text = self._describe(self.components[c], query, neighbor)
            if text:
                parts.append(text)
        return "; ".join(parts) if parts else "sin rasgos en común destacados"

    def _shared(self, block: str, query: int, neighbor: int) -> list[str]:
        names = self.names[block]
        mine = set(names.codes_of(query).tolist())
        return [names.vocab[c] for c in names.codes_of(neighbor).tolist() if c in mine]

    def _describe(self, component: str, query: int, neighbor: int) -> str:
        if component == "text":
            return "temática similar"
        if component == "collab":
            return f"a quienes les gustó {self.titles[query]} también les gustó este título"
        if component not in self.names:
            return ""
        shared = self._shared(component, query, neighbor)
        if not shared:
            return ""
        many = len(shared) > 1
        labels = {
            "collection": f"misma colección: {shared[0]}",
            "directors": f"{'mismos directores' if many else 'mismo director'}: {_join(shared)}",
            "cast": f"reparto en común: {_join(shared)}",
            "genres": f"géneros en común: {_join(shared)}",
            "listed_in": f"géneros en común: {_join(shared)}",
            "keywords": f"temas en común: {_join(shared)}",
            "companies": f"{'productoras' if many else 'productora'} en común: {_join(shared)}",
            "country": f"{'países' if many else 'país'} en común: {_join(shared)}",
            "decade": f"misma década: {shared[0]}",
            "type": f"mismo tipo: {'serie' if shared[0] == 'tv show' else 'película'}",
        }
        return labels.get(component, "")

    def neighbors(self, index: int, k: int) -> list[Item]:
        """The top ``k`` of title ``index``, best first, each with its score and reason."""
        row = np.asarray(self.artifact.neighbors[index, :k])
        scores = np.asarray(self.artifact.scores[index, :k], dtype=np.float32)
        terms = np.asarray(self.artifact.components[index, :k], dtype=np.float32)
        items: list[Item] = []
        for j, neighbor in enumerate(row.tolist()):
            if neighbor < 0:
                break
            items.append(
                Item(
                    ref=self.ref(neighbor),
                    score=round(float(scores[j]), 4),
                    reason=self.reason(index, neighbor, terms[j].tolist()),
                )
            )
        return items

    def recommend(self, title: str, k: int = 5, year: int | None = None) -> Recommendation:
        """Resolve ``title`` and return its top ``k`` (1 <= k <= K)."""
        return self.recommend_index(self.resolve(title, year), k)

    def recommend_index(self, index: int, k: int = 5) -> Recommendation:
        """The top ``k`` of title ``index``, with the other titles of that name."""
        others = [i for i in self.by_folded[self.folded[index]] if i != index]
        return Recommendation(
            query=self.ref(index),
            others=[self.ref(i) for i in others],
            items=self.neighbors(index, k),
        )

    def resolve_many(self, wanted: Sequence[tuple[str, int | None]]) -> list[int]:
        """Indices of several titles; "Title (1995)" carries its year. Every unknown one is reported.

        Raises NotFoundError with ``desconocidos``: one ``{"titulo", "anio", "suggestions"}`` per
        title that matched nothing.
        """
        found: list[int] = []
        unknown: list[dict[str, Any]] = []
        for title, year in wanted:
            try:
                found.append(self.resolve(title, year))
                continue
            except NotFoundError as exc:
                error = exc
            match = _TITLE_WITH_YEAR.match(title) if year is None else None
            if match is not None:
                try:
                    found.append(self.resolve(match["title"], int(match["year"])))
                    continue
                except NotFoundError as exc:
                    error = exc
            unknown.append(
                {"titulo": title, "anio": year, "suggestions": error.extras.get("suggestions", [])}
            )
        if unknown:
            names = ", ".join(f"'{u['titulo']}'" for u in unknown)
            raise NotFoundError(
                f"{'No se encontró el título' if len(unknown) == 1 else 'No se encontraron los títulos'}"
                f" {names} en el catálogo {self.edition}",
                desconocidos=unknown,
            )
        return found

    def recommend_set(
        self, wanted: Sequence[tuple[str, int | None]], k: int = 10
    ) -> SetRecommendation:
        """``k`` titles similar to a set: each title's neighbor scores averaged over the set.

        A title close to several inputs outranks one close to a single input; the inputs themselves
        and titles of the same name are never listed. Its reason is the reason of its strongest link,
        and ``related`` names every input it is a neighbor of (strongest first).
        """
        queries = list(dict.fromkeys(self.resolve_many(wanted)))
        excluded = {j for q in queries for j in self.by_folded[self.folded[q]]}
        total: dict[int, float] = {}
        links: dict[int, list[tuple[float, int, int]]] = {}
        for q in queries:
            row = np.asarray(self.artifact.neighbors[q])
            scores = np.asarray(self.artifact.scores[q], dtype=np.float32)
            for rank, (j, score) in enumerate(zip(row.tolist(), scores.tolist(), strict=True)):
                if j < 0:
                    break
                if j in excluded:
                    continue
                total[j] = total.get(j, 0.0) + float(score) / len(queries)
                links.setdefault(j, []).append((float(score), q, rank))
        ranked = sorted(total, key=lambda j: (-total[j], -self.popularity[j], j))
        items: list[SetItem] = []
        seen_names: set[str] = set()
        for j in ranked:
            if self.folded[j] in seen_names:
                continue
            seen_names.add(self.folded[j])
            strongest = sorted(links[j], key=lambda t: -t[0])
            score, q, rank = strongest[0]
            terms = np.asarray(self.artifact.components[q, rank], dtype=np.float32).tolist()
            related = [self.ref(link[1]) for link in strongest]
            reason = self.reason(q, j, terms)
            if len(related) > 1:
                reason = f"afín a {_join([r.title for r in related])}; {reason}"
            items.append(SetItem(self.ref(j), round(total[j], 4), reason, related))
            if len(items) == k:
                break
        return SetRecommendation(queries=[self.ref(q) for q in queries], items=items)

    def titles_for(self, title: str, k: int = 5) -> list[str]:
        """Only the titles of the top ``k`` (the original contract of ``/get_recommendation``)."""
        index = self.resolve(title)
        return [self.titles[int(j)] for j in self.artifact.neighbors[index, :k] if j >= 0]


def load_all(model_dir: Path, editions: Sequence[Edition]) -> dict[Edition, Recommender]:
    """Load several editions and log one INFO line with their sizes, K and the load time."""
    started = time.perf_counter()
    out = {edition: Recommender.load(model_dir, edition) for edition in editions}
    log.info(
        "loaded models from %s: %s in %.2fs",
        model_dir,
        ", ".join(f"{e} {len(r)} titles K={r.k} (model {r.version})" for e, r in out.items()),
        time.perf_counter() - started,
    )
    return out

"""Feature blocks of the similarity model: one sparse matrix per aspect of a title, plus a quality prior.

Every block is a TF-IDF-weighted, L2-normalised sparse matrix (``n_titles x vocabulary``), so the dot
product of two rows is the cosine similarity of the two titles on that aspect alone. Text blocks use
word TF-IDF (sublinear tf, English stop words); list blocks (genres, cast, ...) are multi-hot with
IDF weights, so sharing a rare keyword counts more than sharing "Drama". The model scales block ``b``
by ``sqrt(w_b)`` and stacks the blocks, so one dot product is the weighted sum ``sum_b w_b cos_b``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from cinemateca_common import tables
from cinemateca_common.contract import (
    MOVIE_FEATURES_TABLE,
    MOVIES_TABLE,
    STREAMING_TABLE,
    Edition,
    edition_dir,
)
from cinemateca_common.text import fold_title
from recommender.collaborative import CollabParams

TOP_CAST: Final = 5


@dataclass(frozen=True)
class Blend:
    """How the score mixes the content blocks, the collaborative signal and a popularity tie-break.

    ``score(i, j) = sum_b weights[b] cos_b(i, j) + collab_weight * collab(i, j) + tie_break * prior(j)
    - penalty * [i and j share no value of the block ``agreement``]``. ``prior(j) = prior_mix *
    known(j) + (1 - prior_mix) * rating(j)`` is in [0, 1] and ``tie_break`` is small, so popularity only
    orders titles that are about equally similar. ``max_share`` caps the share of top-5 lists any single
    title may appear in (see :func:`recommender.neighbors.cap_share`).
    """

    weights: dict[str, float]
    collab_weight: float
    collab: CollabParams
    tie_break: float
    prior_mix: float
    agreement: str | None
    penalty: float
    max_share: float


# Chosen by bench/recommender_quality: cross-validation over the TRAINING users only (two folds), the
# best hit@5 + tail hit@5 among blends whose top-5 lists keep every title under 1.5% of the lists,
# share a genre >= 95% of the time and find >= 95% of a saga's siblings. "collection" is deliberately
# large: the siblings of a saga come first.
MOVIE_BLEND: Final = Blend(
    weights={
        "text": 0.25,
        "genres": 0.10,
        "keywords": 0.20,
        "directors": 0.20,
        "cast": 0.20,
        "companies": 0.05,
        "decade": 0.05,
        "collection": 2.0,
    },
    collab_weight=1.0,
    collab=CollabParams(beta=0.4, shrinkage=5.0),
    tie_break=0.02,
    prior_mix=0.5,
    agreement="genres",
    penalty=1.0,
    max_share=0.015,
)

# No ratings for streaming in the raw data we know: content alone, the same safeguards.
STREAMING_BLEND: Final = Blend(
    weights={
        "text": 0.30,
        "listed_in": 0.20,
        "cast": 0.20,
        "directors": 0.20,
        "country": 0.05,
        "type": 0.10,
        "decade": 0.05,
    },
    collab_weight=1.0,
    collab=CollabParams(beta=0.4, shrinkage=5.0),
    tie_break=0.02,
    prior_mix=0.5,
    agreement="listed_in",
    penalty=1.0,
    max_share=0.015,
)

DEFAULT_BLEND: Final[dict[str, Blend]] = {"movies": MOVIE_BLEND, "streaming": STREAMING_BLEND}

FloatArray = npt.NDArray[np.float64]


@dataclass
class Catalogue:
    """One edition's titles as the model sees them: identity, feature blocks, prior and names."""

    edition: Edition
    ids: list[Any]
    titles: list[str]
    years: list[int | None]
    popularity: FloatArray
    known: FloatArray
    rating: FloatArray
    blocks: dict[str, sp.csr_matrix]
    collection: npt.NDArray[np.int64]
    names: dict[str, list[list[str]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def prior(self, mix: float) -> FloatArray:
        """The quality/popularity prior in [0, 1]: ``mix * known + (1 - mix) * rating``."""
        result: FloatArray = mix * self.known + (1.0 - mix) * self.rating
        return result

    def bias(self, blend: Blend) -> FloatArray:
        """The per-title tie-break term of the score: ``tie_break * prior(prior_mix)``."""
        result: FloatArray = blend.tie_break * self.prior(blend.prior_mix)
        return result

    def categories(self, block: str) -> sp.csr_matrix:
        """Binary titles x values matrix of one name list (e.g. genres), every value kept."""
        rows = self.names[block]
        vocab: dict[str, int] = {}
        cols = [vocab.setdefault(v, len(vocab)) for row in rows for v in dict.fromkeys(row)]
        indptr = np.concatenate(([0], np.cumsum([len(dict.fromkeys(r)) for r in rows])))
        data = np.ones(len(cols), dtype=np.float32)
        return sp.csr_matrix((data, cols, indptr), shape=(len(rows), max(len(vocab), 1)))

    @property
    def folded(self) -> list[str]:
        return [fold_title(t) for t in self.titles]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def multi_hot(rows: Sequence[Sequence[str]], *, min_df: int = 2) -> sp.csr_matrix:
    """IDF-weighted multi-hot rows, L2-normalised; values seen in fewer than ``min_df`` rows are dropped."""
    docs = [list(dict.fromkeys(r)) for r in rows]
    vectorizer = TfidfVectorizer(
        analyzer=_identity, min_df=min_df, lowercase=False, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no value occurs min_df times: the block carries no signal
        return sp.csr_matrix((len(docs), 0), dtype=np.float32)
    return sp.csr_matrix(matrix, dtype=np.float32)


def text_tfidf(texts: Sequence[str], *, min_df: int = 2) -> sp.csr_matrix:
    """Word TF-IDF with sublinear tf and English stop words, L2-normalised rows."""
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        min_df=min_df,
        max_df=0.5,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        return sp.csr_matrix((len(texts), 0), dtype=np.float32)
    return sp.csr_matrix(matrix, dtype=np.float32)


def weighted_rating(
    mean: npt.NDArray[np.float64], count: npt.NDArray[np.float64], *, quantile: float = 0.9
) -> FloatArray:
    """IMDB-style weighted rating ``v/(v+m) R + m/(v+m) C``, as a percentile in [0, 1].

    ``R`` is the title's mean rating, ``v`` its number of votes, ``C`` the catalogue's mean rating
    and ``m`` the ``quantile`` of the vote counts: a title with few votes is pulled towards ``C``, so
    the prior favours titles that are both well rated and well known. Missing values count as no votes.
    """
    v = np.nan_to_num(count.astype(np.float64), nan=0.0)
    r = mean.astype(np.float64)
    known = ~np.isnan(r) & (v > 0)
    c = float(np.average(r[known], weights=v[known])) if known.any() else 0.0
    r = np.where(known, r, c)
    positive = v[v > 0]
    m = float(np.quantile(positive, quantile)) if positive.size else 1.0
    m = max(m, 1.0)
    wr = v / (v + m) * r + m / (v + m) * c
    # Percentile rank: robust to the scale of ratings and to outliers; ties share a rank.
    order = np.argsort(wr, kind="stable")
    ranks = np.empty(len(wr), dtype=np.float64)
    ranks[order] = np.arange(len(wr), dtype=np.float64)
    _, inverse = np.unique(wr, return_inverse=True)
    mean_rank = np.bincount(inverse, weights=ranks) / np.bincount(inverse)
    result: FloatArray = mean_rank[inverse] / max(len(wr) - 1, 1)
    return result


def log_scaled(values: npt.NDArray[np.float64]) -> FloatArray:
    """``log1p(x) / log1p(max)`` in [0, 1]: how well known a title is, with diminishing returns."""
    logged = np.log1p(np.clip(np.nan_to_num(values, nan=0.0), 0.0, None))
    top = float(logged.max()) if logged.size else 0.0
    result: FloatArray = logged / top if top > 0 else logged
    return result


def _lists(table: Any, column: str, limit: int | None = None) -> list[list[str]]:
    values: list[list[str] | None] = table.column(column).to_pylist()
    out = [[str(x) for x in (v or []) if x] for v in values]
    return [v[:limit] for v in out] if limit else out


def _texts(table: Any, *columns: str) -> list[str]:
    parts = [table.column(c).to_pylist() for c in columns]
    return [" ".join(str(p) for p in row if p) for row in zip(*parts, strict=True)]


def _decades(years: list[int | None]) -> list[list[str]]:
    return [[f"{(y // 10) * 10}s"] if y else [] for y in years]


def _years(table: Any) -> list[int | None]:
    return [
        int(y) if y is not None and y > 0 else None
        for y in table.column("release_year").to_pylist()
    ]


def load_movies(processed_dir: Path) -> Catalogue:
    """The movies edition: overview+tagline, genres, keywords, directors, cast, companies, decade, collection."""
    folder = edition_dir(processed_dir, "movies")
    tables.check(tables.MOVIES_SCHEMA, folder / MOVIES_TABLE)
    tables.check(tables.MOVIE_FEATURES_SCHEMA, folder / MOVIE_FEATURES_TABLE)
    table = pq.read_table(folder / MOVIES_TABLE)
    features = pq.read_table(folder / MOVIE_FEATURES_TABLE).to_pydict()
    votes_by_id = dict(zip(features["id"], features["vote_count"], strict=True))
    ids = [int(i) for i in table.column("id").to_pylist()]
    years = _years(table)
    vote_count = np.array([votes_by_id.get(i) or 0.0 for i in ids], dtype=np.float64)
    vote_average = np.array(
        [np.nan if v is None else v for v in table.column("vote_average").to_pylist()],
        dtype=np.float64,
    )
    collection_ids = table.column("collection_id").to_pylist()
    collection_names = table.column("collection_name").to_pylist()
    collection_tokens = [[str(c)] if c is not None else [] for c in collection_ids]
    names = {
        "genres": _lists(table, "genres"),
        "keywords": _lists(table, "keywords"),
        "directors": _lists(table, "directors"),
        "cast": _lists(table, "cast", TOP_CAST),
        "companies": _lists(table, "production_companies"),
        "decade": _decades(years),
        "collection": [[str(n)] if n else [] for n in collection_names],
    }
    blocks = {
        "text": text_tfidf(_texts(table, "overview", "tagline")),
        "genres": multi_hot(names["genres"]),
        "keywords": multi_hot(names["keywords"]),
        "directors": multi_hot(names["directors"]),
        "cast": multi_hot(names["cast"]),
        "companies": multi_hot(names["companies"]),
        "decade": multi_hot(names["decade"]),
        "collection": multi_hot(collection_tokens),
    }
    popularity = np.nan_to_num(
        np.array(table.column("popularity").to_pylist(), dtype=np.float64), nan=0.0
    )
    return Catalogue(
        edition="movies",
        ids=ids,
        titles=[str(t) for t in table.column("title").to_pylist()],
        years=years,
        popularity=popularity,
        known=log_scaled(popularity),
        rating=weighted_rating(vote_average, vote_count),
        blocks=blocks,
        collection=np.array([-1 if c is None else int(c) for c in collection_ids], dtype=np.int64),
        names=names,
    )


def load_streaming(processed_dir: Path) -> Catalogue:
    """The streaming edition: description, listed_in, cast, director, country, type, decade.

    Features come from the lower-cased columns; titles and the names shown in reasons from their
    ``*_display`` copies (original spelling), which the contract's schema requires.
    """
    path = edition_dir(processed_dir, "streaming") / STREAMING_TABLE
    tables.check(tables.STREAMING_SCHEMA, path)
    table = pq.read_table(path)

    years = _years(table)
    score_mean = np.array(
        [np.nan if v is None else v for v in table.column("score_mean").to_pylist()],
        dtype=np.float64,
    )
    score_count = np.array(
        [0.0 if v is None else v for v in table.column("score_count").to_pylist()],
        dtype=np.float64,
    )
    names = {
        "listed_in": _lists(table, "listed_in_display"),
        "cast": _lists(table, "cast_display", TOP_CAST),
        "directors": _lists(table, "director_display"),
        "country": _lists(table, "country_display"),
        "type": [[str(t)] if t else [] for t in table.column("type").to_pylist()],
        "decade": _decades(years),
    }
    blocks = {
        "text": text_tfidf(_texts(table, "description")),
        "listed_in": multi_hot(_lists(table, "listed_in")),
        "cast": multi_hot(_lists(table, "cast", TOP_CAST)),
        "directors": multi_hot(_lists(table, "director")),
        "country": multi_hot(_lists(table, "country")),
        "type": multi_hot(names["type"], min_df=1),
        "decade": multi_hot(names["decade"]),
    }
    return Catalogue(
        edition="streaming",
        ids=[str(i) for i in table.column("id").to_pylist()],
        titles=[str(t) for t in table.column("title_display").to_pylist()],
        years=years,
        popularity=score_count,
        known=log_scaled(score_count),
        rating=weighted_rating(score_mean, score_count),
        blocks=blocks,
        collection=np.full(table.num_rows, -1, dtype=np.int64),
        names=names,
    )


LOADERS: Final[dict[str, Callable[[Path], Catalogue]]] = {
    "movies": load_movies,
    "streaming": load_streaming,
}


def load_catalogue(processed_dir: Path, edition: Edition) -> Catalogue:
    """Read one edition's processed tables and build its feature blocks."""
    return LOADERS[edition](processed_dir)

"""MovieLens ratings read in chunks into a sparse user x title matrix over the catalogue.

``read_ratings`` streams ``ratings.csv`` (``userId,movieId,rating,timestamp``; plain or ``.csv.gz``)
in chunks, maps every MovieLens ``movieId`` through ``links.csv`` (``movieId -> tmdbId``) to a
catalogue column, and builds a ``scipy.sparse`` CSR matrix of float32 ratings, one row per user with
at least one mapped rating (rows in ascending ``userId``), one column per catalogue id (in the given
order). Only the mapped rows' four columns are kept between chunks (int32/uint32 where they fit).

The parser is ``pandas.read_csv(chunksize=...)`` (C engine), chosen by measurement on the generated
full-size file (26,024,289 rows, 717 MB; parsing alone, 2-core machine under load): pandas 9.3 s and
311 MB peak RSS; pyarrow's streaming CSV reader 13.7 s and 1,040 MB (12.8 s without threads, 10.4 s
and 600 MB with the system allocator and 8 MB blocks). ``engine="pyarrow"`` keeps the other one to
compare (``python -m bench.recommender --only read`` times both, whole read included).

Counts kept for the caller's log and artifact:

- ``rows_read``: data rows in the file.
- ``unmapped``: rows whose movieId has no link, a link without tmdbId, or a tmdbId outside the
  catalogue (dropped).
- ``duplicates``: rows dropped because the same user rated the same catalogue title again (the same
  movieId twice, or two movieIds linked to one tmdbId). The latest rating by timestamp is kept; on a
  timestamp tie, the one further down the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import scipy.sparse as sp

COLUMNS: Final = ("userId", "movieId", "rating", "timestamp")
# pyarrow reads by bytes, not rows: a MovieLens line is about 27 bytes ("1,110,1.0,1425941529\n").
_BYTES_PER_ROW: Final = 28
# Above this many possible ids per row read, user ids are compacted with np.unique instead of a table.
_DENSE_ID_FACTOR: Final = 64
_SLICE: Final = 1 << 22  # rows compared at once when looking for duplicates
_TYPES: Final = {
    "userId": pa.int64(),
    "movieId": pa.int64(),
    "rating": pa.float32(),
    "timestamp": pa.int64(),
}


@dataclass(frozen=True)
class RatingsMatrix:
    """Ratings as a users x catalogue-titles CSR matrix, and what reading them found."""

    matrix: sp.csr_matrix  # float32 ratings; row i is user_ids[i], column j is catalogue_ids[j]
    user_ids: npt.NDArray[np.int64]  # MovieLens userId of each row, ascending
    rows_read: int
    unmapped: int
    duplicates: int

    @property
    def kept(self) -> int:
        """Ratings in the matrix (= rows_read - unmapped - duplicates)."""
        return int(self.matrix.nnz)


@dataclass
class RatingParts:
    """Mapped rows of every chunk, concatenated once at the end by :func:`to_csr`."""

    users: list[npt.NDArray[np.integer[Any]]]  # int32 where the ids fit, to halve the memory
    items: list[npt.NDArray[np.int32]]
    ratings: list[npt.NDArray[np.float32]]
    timestamps: list[npt.NDArray[np.integer[Any]]]  # uint32 where they fit (until 2106)


def read_ratings(
    ratings_path: Path,
    links_path: Path,
    catalogue_ids: Sequence[int] | npt.NDArray[np.integer],
    chunk_rows: int = 2_000_000,
    *,
    engine: Literal["pandas", "pyarrow"] = "pandas",
) -> RatingsMatrix:
    """Read ``ratings_path`` in chunks of about ``chunk_rows`` rows into a ``RatingsMatrix``.

    ``catalogue_ids`` are the TMDB ids of the catalogue's titles, one per matrix column, unique.
    ``engine`` picks the CSV parser (see the module docstring). Raises ``ValueError`` for a
    missing column, an empty cell, or repeated catalogue ids.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be positive, got {chunk_rows}")
    catalogue = np.asarray(catalogue_ids, dtype=np.int64)
    if len(np.unique(catalogue)) != len(catalogue):
        raise ValueError("catalogue_ids must be unique")
    item_of_movie = _movie_to_item(links_path, catalogue)

    parts = RatingParts([], [], [], [])
    rows_read = unmapped = 0
    chunks = _pandas_chunks if engine == "pandas" else _pyarrow_chunks
    for chunk in chunks(ratings_path, chunk_rows):
        movies = chunk["movieId"]
        rows_read += len(movies)
        inside = (movies >= 0) & (movies < len(item_of_movie))
        items = np.full(len(movies), -1, dtype=np.int32)
        items[inside] = item_of_movie[movies[inside]]
        mapped = items >= 0
        unmapped += int(len(mapped) - np.count_nonzero(mapped))
        parts.users.append(_narrow(chunk["userId"][mapped], np.int32))
        parts.items.append(items[mapped])
        parts.ratings.append(chunk["rating"].astype(np.float32)[mapped])
        parts.timestamps.append(_narrow(chunk["timestamp"][mapped], np.uint32))
    matrix, user_ids, duplicates = to_csr(parts, len(catalogue))
    return RatingsMatrix(matrix, user_ids, rows_read, unmapped, duplicates)


def _movie_to_item(links_path: Path, catalogue: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """A lookup table: index movieId -> catalogue column, -1 where the movie is not in it."""
    links = pd.read_csv(
        links_path, usecols=["movieId", "tmdbId"], dtype={"movieId": "int64", "tmdbId": "Int64"}
    ).dropna(subset=["tmdbId"])
    movie = links["movieId"].to_numpy(dtype=np.int64)
    tmdb = links["tmdbId"].to_numpy(dtype=np.int64)
    keep = movie >= 0
    movie, tmdb = movie[keep], tmdb[keep]
    table = np.full(int(movie.max()) + 1 if len(movie) else 0, -1, dtype=np.int32)
    if len(catalogue) == 0 or len(movie) == 0:
        return table
    order = np.argsort(catalogue)
    at = np.minimum(np.searchsorted(catalogue, tmdb, sorter=order), len(catalogue) - 1)
    found = catalogue[order[at]] == tmdb
    table[movie[found]] = order[at[found]].astype(np.int32)
    return table


_Chunk = dict[str, npt.NDArray[Any]]


def _pyarrow_chunks(path: Path, chunk_rows: int) -> Iterator[_Chunk]:
    """The same through pyarrow's streaming reader: about ``chunk_rows`` rows (it reads by bytes)."""
    block = max(1 << 16, min(chunk_rows * _BYTES_PER_ROW, 1 << 30))
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=block),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(COLUMNS),
                column_types={name: _TYPES[name] for name in COLUMNS},
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as error:
        raise ValueError(f"{path}: {error} (columns needed: {', '.join(COLUMNS)})") from error
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as error:
            raise ValueError(f"{path}: {error}") from error
        chunk: _Chunk = {}
        for name in COLUMNS:
            column = batch.column(name)
            if column.null_count:
                raise ValueError(f"{path}: {column.null_count} empty {name} cells")
            chunk[name] = column.to_numpy()
        yield chunk


def _pandas_chunks(path: Path, chunk_rows: int) -> Iterator[_Chunk]:
    """Chunks of ``chunk_rows`` rows through ``pandas.read_csv(chunksize=...)`` (C engine)."""
    types = {"userId": "int64", "movieId": "int64", "rating": "float32", "timestamp": "int64"}
    try:
        with pd.read_csv(path, usecols=list(COLUMNS), dtype=types, chunksize=chunk_rows) as reader:
            for frame in reader:
                empty = int(frame["rating"].isna().sum())
                if empty:
                    raise ValueError(f"{path}: {empty} empty rating cells")
                yield {name: frame[name].to_numpy() for name in COLUMNS}
    except ValueError as error:
        if str(error).startswith(str(path)):
            raise
        raise ValueError(f"{path}: {error} (columns needed: {', '.join(COLUMNS)})") from error


def _narrow(values: npt.NDArray[Any], dtype: type[np.integer[Any]]) -> npt.NDArray[Any]:
    """``values`` as the smaller integer type when every value fits, else unchanged."""
    info = np.iinfo(dtype)
    if len(values) == 0 or (values.min() >= info.min and values.max() <= info.max):
        return values.astype(dtype)
    return values


def to_csr(parts: RatingParts, n_items: int) -> tuple[sp.csr_matrix, npt.NDArray[np.int64], int]:
    """The CSR matrix (duplicates resolved), the row user ids and how many duplicates were dropped.

    Memory matters at 26 million rows: each list is concatenated and freed in turn, and the sorted
    keys are compared slice by slice instead of being gathered into a second array.
    """
    users = np.concatenate(parts.users) if parts.users else np.zeros(0, dtype=np.int64)
    parts.users.clear()
    user_ids, rows = _compact(users)
    del users
    items = np.concatenate(parts.items) if parts.items else np.zeros(0, dtype=np.int32)
    parts.items.clear()
    # One int64 key per (user, title); a stable sort keeps file order among equal keys.
    key = rows.astype(np.int64) * max(n_items, 1) + items
    order = np.argsort(key, kind="stable")
    same_as_next = np.zeros(max(len(order) - 1, 0), dtype=bool)
    for start in range(0, len(same_as_next), _SLICE):
        at = order[start : start + _SLICE + 1]
        same_as_next[start : start + len(at) - 1] = key[at[1:]] == key[at[:-1]]
    del key
    counts = np.bincount(rows, minlength=len(user_ids))
    duplicates = int(np.count_nonzero(same_as_next))
    timestamps = np.concatenate(parts.timestamps) if parts.timestamps else np.zeros(0, np.int64)
    parts.timestamps.clear()
    if duplicates:
        keep = _latest(order, same_as_next, timestamps)
        counts -= np.bincount(rows[order[~keep]], minlength=len(user_ids))
        order = order[keep]
    del timestamps, same_as_next, rows
    ratings = np.concatenate(parts.ratings) if parts.ratings else np.zeros(0, dtype=np.float32)
    parts.ratings.clear()
    indptr = np.zeros(len(user_ids) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    matrix = sp.csr_matrix(
        (ratings[order], items[order], indptr), shape=(len(user_ids), n_items), dtype=np.float32
    )
    return matrix, user_ids, duplicates


def _compact(
    users: npt.NDArray[np.integer[Any]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Distinct user ids ascending and each row's position among them."""
    if len(users) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    low, high = int(users.min()), int(users.max())
    if low >= 0 and high < _DENSE_ID_FACTOR * len(users):
        # MovieLens ids are dense: a presence table is linear time, no sort.
        present = np.zeros(high + 1, dtype=bool)
        present[users] = True
        ids = np.flatnonzero(present).astype(np.int64)
        position = np.cumsum(present, dtype=np.int32) - 1
        return ids, position[users]
    ids, inverse = np.unique(users, return_inverse=True)
    return ids.astype(np.int64), inverse.astype(np.int32)


def _latest(
    order: npt.NDArray[np.intp],
    same_as_next: npt.NDArray[np.bool_],
    timestamps: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Over ``order`` (sorted by key, file order among equals): keep one row per key, the latest
    by timestamp, the later in the file on a tie."""
    keep = np.ones(len(order), dtype=bool)
    in_group = np.zeros(len(order), dtype=bool)
    in_group[:-1] |= same_as_next
    in_group[1:] |= same_as_next
    at = np.flatnonzero(in_group)
    # Group number of every duplicated position: a new group starts where the previous differs.
    starts = np.ones(len(at), dtype=bool)
    starts[1:] = ~same_as_next[at[1:] - 1]
    group = np.cumsum(starts) - 1
    rows = order[at]
    # Within each group sort by (timestamp, file position); the last one wins.
    ranked = np.lexsort((rows, timestamps[rows], group))
    last = np.ones(len(at), dtype=bool)
    last[:-1] = group[ranked][1:] != group[ranked][:-1]
    keep[at] = False
    winners = ranked[last]
    keep[at[winners]] = True
    return keep

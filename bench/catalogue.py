"""Full-scale raw movies catalogue generated from the real 5,000-row sample (shared by the benchmarks).

The shared data holds only the first 5,000 of the 45,466 rows of ``movies_dataset.csv`` and a
reconstructed ``credits.csv`` with the top-3 cast and the director. The honest stand-in for the full
files is the sample's real value distributions, resampled with new ids and mixed text:

* ``movies_dataset.csv``: every row is a real sample row (budget, revenue, dates, genres, companies,
  countries, collection, languages, runtime, votes: the raw Python-literal cells byte for byte) with a
  new unique id, a title and an overview mixed from two rows (about 6% keep a real title verbatim,
  so repeated titles exist), a jittered popularity, a new imdb id and poster path, and the collection
  split into families so collections keep their real sizes (one family keeps the real collection, the
  others get a new id and a mixed name in the same cell format). About 30 rows repeat
  an earlier id (most of them exact copies, as in the original), and three movies are broken over two
  physical lines exactly like the original's rows 19730, 29503 and 35587: the overview is unquoted
  and holds a line break, so the first line stops after the overview's head (10 fields, the rest
  missing) and the second line starts with ``" - Written by ..."`` and carries the remaining 14
  fields shifted 9 columns to the left: ``adult`` holds the text fragment, ``belongs_to_collection``
  the popularity, ``budget`` a poster path, ``id`` the release date (``1997-08-20``), and so on.
* ``credits.csv``: per movie a cast and a crew list of dicts with every key of the original in the
  original order (cast: cast_id, character, credit_id, gender, id, name, order, profile_path; crew:
  credit_id, department, gender, id, job, name, profile_path). The sample's real names lead (top-3
  cast, the director), a long tail of names resampled from the real ones follows. List lengths follow
  the original (mean about 12 cast and 10 crew, a few hundred at most, about 190 MB at full scale).
* ``keywords.csv``: the real keyword lists of the two rows the movie was mixed from.

* ``links.csv`` and ``ratings.csv`` (on request, ``generate_ratings``): MovieLens's layout over the
  generated films, at the full ``ratings.csv`` size by default (26,024,289 ratings by 270,896 users),
  with long-tailed popularity and activity and users who prefer a few genres and an era.

Generation is deterministic for a seed. ``cached_data_dir`` keeps the result under ``bench/.cache/``.
Run ``uv run python -m bench.catalogue [--rows 45466] [--ratings]`` to build (or reuse) it and print its path.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import fcntl
import gzip
import io
import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from tests.support.raw import MOVIE_HEADER

GENERATOR_VERSION: Final = 2
FULL_ROWS: Final = 45_466
CACHE_DIR: Final = Path(__file__).resolve().parent / ".cache"
MARKER: Final = ".catalogue.json"
REPO_ROOT: Final = Path(__file__).resolve().parents[1]


def checkout_path(text: str) -> Path:
    """A path as ``DATA_DIR`` gives it: absolute, or relative to the checkout (not the cwd)."""
    path = Path(text)
    return (path if path.is_absolute() else REPO_ROOT / path).resolve()


def default_raw_data_dir() -> Path:
    """The real raw-data folder: ``$DATA_DIR``, else ../shared/data beside the checkout."""
    return checkout_path(os.environ.get("DATA_DIR", "../shared/data"))


def add_raw_data_option(
    parser: argparse.ArgumentParser, flag: str = "--sample-dir", holding: str = "movies/"
) -> None:
    """The real raw-data folder option, by default :func:`default_raw_data_dir`."""
    parser.add_argument(
        flag,
        type=checkout_path,
        default=default_raw_data_dir(),
        help=f"the real raw data holding {holding} (default: $DATA_DIR or ../shared/data)",
    )


_COL = {name: i for i, name in enumerate(MOVIE_HEADER)}
_OVERVIEW = _COL["overview"]

# The original's duplicated ids (about 30 in 45,466 rows) and its three broken rows, at the same
# relative positions as rows 19730, 29503 and 35587.
_DUPLICATES_PER_ROW: Final = 30 / FULL_ROWS
_MALFORMED_AT: Final = (19_730 / FULL_ROWS, 29_503 / FULL_ROWS, 35_587 / FULL_ROWS)
_KEEP_TITLE: Final = 0.06
# Each sample row is resampled about 9 times; a collection is split into this many families (one
# keeps the real name) so that collections keep their real sizes instead of growing ninefold.
_FAMILIES: Final = 9

# Cast and crew list lengths: lognormal, calibrated on the original credits.csv (45,476 rows,
# about 190 MB: mean about 12.4 cast and 10.2 crew entries, a few empty lists, tails past 100).
_CAST_MEDIAN, _CAST_SIGMA, _CAST_EMPTY = 9.0, 0.8, 0.05
_CREW_MEDIAN, _CREW_SIGMA, _CREW_EMPTY = 6.5, 1.0, 0.02
_MAX_LIST = 400
_NO_PROFILE = 0.4

# (department, job, weight) for crew entries other than the director.
_CREW_JOBS: Final = (
    ("Writing", "Screenplay", 6),
    ("Writing", "Writer", 5),
    ("Writing", "Novel", 1),
    ("Writing", "Story", 1),
    ("Production", "Producer", 10),
    ("Production", "Executive Producer", 6),
    ("Production", "Casting", 4),
    ("Production", "Associate Producer", 2),
    ("Sound", "Original Music Composer", 5),
    ("Sound", "Sound Re-Recording Mixer", 2),
    ("Sound", "Music Supervisor", 1),
    ("Camera", "Director of Photography", 5),
    ("Camera", "Camera Operator", 2),
    ("Editing", "Editor", 5),
    ("Art", "Production Design", 4),
    ("Art", "Art Direction", 3),
    ("Art", "Set Decoration", 3),
    ("Costume & Make-Up", "Costume Design", 4),
    ("Costume & Make-Up", "Makeup Artist", 2),
    ("Crew", "Stunts", 2),
    ("Crew", "Stunt Coordinator", 1),
    ("Visual Effects", "Visual Effects Supervisor", 2),
    ("Visual Effects", "Animation", 1),
    ("Lighting", "Gaffer", 1),
    ("Directing", "Script Supervisor", 1),
    ("Directing", "Assistant Director", 2),
)
_NICKNAMES: Final = ("Doc", "Ace", "Red", "Kid", "Lucky", "Boss", "Tex", "Slim", "Duke", "Bunny")
_ROLES: Final = (
    "the bartender",
    "the doctor",
    "a cop",
    "his wife",
    "the mayor",
    "age 10",
    "uncredited",
)


@dataclass(frozen=True)
class _Sample:
    """What the generator takes from the real sample."""

    rows: list[list[str]]
    cast: list[list[str]]  # per sample row: real cast names in billing order
    directors: list[list[str]]  # per sample row: real director names
    keywords: list[list[dict[str, Any]]]  # per sample row: real keyword dicts ([] if none)


def generate_movies(
    sample_dir: Path,
    out_dir: Path,
    *,
    n_rows: int = FULL_ROWS,
    seed: int = 0,
    full_credits: bool = True,
) -> Path:
    """Write a raw ``out_dir/movies/`` (movies_dataset.csv, credits.csv, keywords.csv); return it.

    ``n_rows`` counts CSV records of movies_dataset.csv as a CSV reader sees them, like the
    original's 45,466 (so the three broken movies count twice). ``full_credits=False`` writes the
    reconstructed layout of the sample instead (top-3 cast as name/order, the director), which is
    much smaller. An existing folder written with the same parameters is reused.
    """
    if n_rows < 100:
        raise ValueError(f"n_rows must be at least 100, got {n_rows}")
    params = _params(sample_dir, n_rows, seed, full_credits)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Several benchmarks may ask for the same cache entry at once: one generates, the others wait.
    with (out_dir / ".catalogue.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _generate_locked(
            sample_dir, out_dir, params, n_rows=n_rows, seed=seed, full_credits=full_credits
        )


def _generate_locked(
    sample_dir: Path,
    out_dir: Path,
    params: dict[str, Any],
    *,
    n_rows: int,
    seed: int,
    full_credits: bool,
) -> Path:
    movies_dir = out_dir / "movies"
    marker = out_dir / MARKER
    if movies_dir.is_dir():
        if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == params:
            print(f"catalogue: reusing {movies_dir}", flush=True)
            return movies_dir
        if not marker.is_file():
            raise FileExistsError(f"{movies_dir} exists and was not written by bench.catalogue")
        marker.unlink()
        shutil.rmtree(movies_dir)
    started = time.perf_counter()
    sample = _read_sample(sample_dir)
    print(
        f"catalogue: read the sample ({len(sample.rows):,} movies) in "
        f"{time.perf_counter() - started:.1f} s; generating {n_rows:,} rows (seed {seed})",
        flush=True,
    )
    tmp = out_dir / f"movies.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    _Generator(sample, np.random.default_rng(seed), full_credits).write(tmp, n_rows)
    tmp.rename(movies_dir)
    marker.write_text(json.dumps(params, indent=1), encoding="utf-8")
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(movies_dir.iterdir())
    )
    print(
        f"catalogue: wrote {movies_dir} ({sizes}) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return movies_dir


def generate_data_dir(
    sample_dir: Path,
    out_dir: Path,
    *,
    n_rows: int = FULL_ROWS,
    seed: int = 0,
    full_credits: bool = True,
    n_ratings: int = 0,
    n_users: int | None = None,
    compress_ratings: bool = False,
) -> Path:
    """A complete raw-data folder: the generated ``movies/`` and a symlink to the real ``streaming/``.

    With ``n_ratings`` > 0, also ``movies/links.csv`` and ``movies/ratings.csv`` (``generate_ratings``;
    ``n_users`` defaults to the full file's users per rating).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    movies = generate_movies(
        sample_dir, out_dir, n_rows=n_rows, seed=seed, full_credits=full_credits
    )
    if n_ratings > 0:
        users = n_users or max(1, round(n_ratings * FULL_USERS / FULL_RATINGS))
        generate_ratings(
            movies,
            sample_dir,
            n_ratings=n_ratings,
            n_users=users,
            seed=seed,
            compress=compress_ratings,
        )
    streaming = out_dir / "streaming"
    target = (sample_dir / "streaming").resolve()
    if streaming.is_symlink() and streaming.resolve() != target:
        streaming.unlink()
    if not streaming.exists():
        with contextlib.suppress(FileExistsError):  # another process linked it meanwhile
            streaming.symlink_to(target, target_is_directory=True)
    return out_dir


def cached_data_dir(
    sample_dir: Path,
    *,
    n_rows: int = FULL_ROWS,
    seed: int = 0,
    full_credits: bool = True,
    cache_dir: Path = CACHE_DIR,
    n_ratings: int = 0,
    n_users: int | None = None,
    compress_ratings: bool = False,
) -> Path:
    """``generate_data_dir`` into ``cache_dir``, keyed by the parameters: generated once, then reused.

    The ratings live beside the catalogue they rate (same folder), keyed by their own marker
    (``RATINGS_VERSION`` and their parameters), so asking for ratings never regenerates the catalogue.
    """
    key = "data-{}-s{}-{}-v{}".format(
        n_rows, seed, "full" if full_credits else "top3", GENERATOR_VERSION
    )
    return generate_data_dir(
        sample_dir,
        cache_dir / key,
        n_rows=n_rows,
        seed=seed,
        full_credits=full_credits,
        n_ratings=n_ratings,
        n_users=n_users,
        compress_ratings=compress_ratings,
    )


# ---------------------------------------------------------------------------------------------
# reading the sample


def _params(sample_dir: Path, n_rows: int, seed: int, full_credits: bool) -> dict[str, Any]:
    files = {p.name: p.stat().st_size for p in sorted((sample_dir / "movies").glob("*.csv*"))}
    return {
        "generator_version": GENERATOR_VERSION,
        "n_rows": n_rows,
        "seed": seed,
        "full_credits": full_credits,
        "sample_dir": str(sample_dir.resolve()),
        "sample_files": files,
    }


def _open_csv(folder: Path, *names: str) -> IO[str]:
    for name in names:
        for path in (folder / name, folder / f"{name}.gz"):
            if path.is_file():
                if path.suffix == ".gz":
                    return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
                return path.open(encoding="utf-8", newline="")
    raise FileNotFoundError(f"none of {', '.join(names)} (plain or .gz) in {folder}")


def _read_sample(sample_dir: Path) -> _Sample:
    folder = sample_dir / "movies"
    with _open_csv(folder, "movies_dataset.csv", "movies_metadata.csv") as f:
        reader = csv.reader(f)
        header = next(reader)
        if tuple(header) != MOVIE_HEADER:
            raise ValueError(f"unexpected movies header in {folder}: {header}")
        rows = [r for r in reader if len(r) == len(MOVIE_HEADER) and r[_COL["id"]].isdigit()]
    cast_by_id: dict[str, list[str]] = {}
    directors_by_id: dict[str, list[str]] = {}
    with _open_csv(folder, "credits.csv") as f:
        for rec in csv.DictReader(f):
            cast = sorted(ast.literal_eval(rec["cast"]), key=lambda d: d.get("order", 0))
            crew = ast.literal_eval(rec["crew"])
            cast_by_id.setdefault(rec["id"], [d["name"] for d in cast])
            directors_by_id.setdefault(
                rec["id"], [d["name"] for d in crew if d.get("job") == "Director"]
            )
    wanted = {r[_COL["id"]] for r in rows}
    keywords_by_id: dict[str, list[dict[str, Any]]] = {}
    try:
        with _open_csv(folder, "keywords.csv") as f:
            for rec in csv.DictReader(f):
                if rec["id"] in wanted and rec["id"] not in keywords_by_id:
                    keywords_by_id[rec["id"]] = ast.literal_eval(rec["keywords"])
    except FileNotFoundError:
        pass
    ids = [r[_COL["id"]] for r in rows]
    return _Sample(
        rows=rows,
        cast=[cast_by_id.get(i, []) for i in ids],
        directors=[directors_by_id.get(i, []) for i in ids],
        keywords=[keywords_by_id.get(i, []) for i in ids],
    )


# ---------------------------------------------------------------------------------------------
# generating


class _Generator:
    """Builds the three files from the sample with one random generator, in a fixed order."""

    def __init__(self, sample: _Sample, rng: np.random.Generator, full_credits: bool) -> None:
        self.sample = sample
        self.rng = rng
        self.full_credits = full_credits
        self._build_people()

    # --- people: the real names first, then names mixed from their first and last words
    def _build_people(self) -> None:
        real = list(
            dict.fromkeys(n for names in (*self.sample.cast, *self.sample.directors) for n in names)
        )
        firsts = sorted({n.split()[0] for n in real if len(n.split()) > 1})
        lasts = sorted({n.split()[-1] for n in real if len(n.split()) > 1})
        n_mixed = 80_000
        fi = self.rng.integers(0, len(firsts), n_mixed)
        la = self.rng.integers(0, len(lasts), n_mixed)
        mixed = dict.fromkeys(f"{firsts[a]} {lasts[b]}" for a, b in zip(fi, la, strict=True))
        for name in real:
            mixed.pop(name, None)
        self.names: list[str] = real + list(mixed)
        self.firsts, self.lasts = firsts, lasts
        n = len(self.names)
        self.person_ids = (self.rng.permutation(2_000_000)[:n] + 1).tolist()
        self.index_of = {name: i for i, name in enumerate(self.names)}
        self.genders = self.rng.choice(3, n, p=[0.35, 0.2, 0.45]).tolist()
        has_profile = self.rng.random(n) >= _NO_PROFILE
        self.profiles: list[str | None] = [
            _path(self.rng) if has else None for has in has_profile.tolist()
        ]
        # Zipf-like popularity of the tail: a few people appear in hundreds of movies.
        weights = 1.0 / (np.arange(n) + 20.0) ** 0.9
        self.tail_cdf = np.cumsum(weights / weights.sum())

    def _tail(self, k: int) -> list[int]:
        """``k`` people of the long tail, drawn by popularity."""
        drawn = np.searchsorted(self.tail_cdf, self.rng.random(k), side="right")
        people: list[int] = np.minimum(drawn, len(self.names) - 1).tolist()
        return people

    def write(self, folder: Path, n_rows: int) -> None:
        n_dup = max(1, round(n_rows * _DUPLICATES_PER_ROW))
        n_malformed = len(_MALFORMED_AT)
        n_base = n_rows - n_dup - n_malformed
        records = self._movies(n_base)
        order = self._with_duplicates(records, n_dup)
        malformed = self._malformed_positions(records, order, n_base)
        print(
            f"catalogue: {n_base:,} movies, {n_dup} duplicate ids, {n_malformed} broken rows",
            flush=True,
        )
        started = time.perf_counter()
        with (folder / "movies_dataset.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(MOVIE_HEADER)
            for k, (j, dup_variant) in enumerate(order):
                row = records[j].row if dup_variant is None else dup_variant
                if k in malformed:
                    f.write(_broken_lines(row, records[j].tail))
                else:
                    writer.writerow(row)
        print(f"catalogue: movies_dataset.csv in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        with (folder / "keywords.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("id", "keywords"))
            for j, _ in order:
                writer.writerow((records[j].row[_COL["id"]], records[j].keywords))
        print(f"catalogue: keywords.csv in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        with (folder / "credits.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("cast", "crew", "id"))
            done: dict[int, tuple[str, str]] = {}
            for k, (j, _) in enumerate(order):
                if j not in done:
                    done[j] = self._credits(records[j])
                writer.writerow((*done[j], records[j].row[_COL["id"]]))
                if k and k % 10_000 == 0:
                    print(f"catalogue: credits {k:,}/{len(order):,} movies", flush=True)
        print(f"catalogue: credits.csv in {time.perf_counter() - started:.1f} s", flush=True)

    # --- movies_dataset.csv
    def _movies(self, n: int) -> list[_Record]:
        rng, rows = self.rng, self.sample.rows
        n_sample = len(rows)
        src = rng.integers(0, n_sample, n).tolist()
        partner = rng.integers(0, n_sample, n).tolist()
        keep_title = (rng.random(n) < _KEEP_TITLE).tolist()
        ids = (rng.permutation(499_000)[:n] + 2).tolist()
        imdb = rng.integers(1, 9_000_000, n).tolist()
        jitter = np.exp(rng.normal(0.0, 0.25, n)).tolist()
        take_partner_tagline = (rng.random(n) < 0.5).tolist()
        family = rng.integers(0, _FAMILIES, n).tolist()
        records = []
        for j in range(n):
            s, p = src[j], partner[j]
            row = list(rows[s])
            other = rows[p]
            title = (
                row[_COL["title"]]
                if keep_title[j]
                else _mix_words(row[_COL["title"]], other[_COL["title"]])
            )
            if row[_COL["original_title"]] == row[_COL["title"]]:
                row[_COL["original_title"]] = title
            row[_COL["title"]] = title
            row[_OVERVIEW] = _mix_sentences(row[_OVERVIEW], other[_OVERVIEW])
            if take_partner_tagline[j]:
                row[_COL["tagline"]] = other[_COL["tagline"]]
            row[_COL["id"]] = str(ids[j])
            row[_COL["imdb_id"]] = f"tt{imdb[j]:07d}"
            row[_COL["poster_path"]] = _path(rng)
            row[_COL["popularity"]] = _jitter(row[_COL["popularity"]], jitter[j])
            row[_COL["belongs_to_collection"]] = _collection(
                row[_COL["belongs_to_collection"]], family[j], other[_COL["title"]]
            )
            keywords = _mix_lists(self.sample.keywords[s], self.sample.keywords[p])
            records.append(_Record(row, s, p, repr(keywords), ""))
        return records

    def _with_duplicates(
        self, records: Sequence[_Record], n_dup: int
    ) -> list[tuple[int, list[str] | None]]:
        """Record order with duplicate ids: each a later copy (3 in 4 exact, else new popularity)."""
        rng = self.rng
        n = len(records)
        originals = np.sort(rng.choice(n - 1, n_dup, replace=False)).tolist()
        keyed: list[tuple[float, int, list[str] | None]] = [(float(j), j, None) for j in range(n)]
        for j in originals:
            row = list(records[j].row)
            if rng.random() >= 0.75:
                row[_COL["popularity"]] = _jitter(
                    row[_COL["popularity"]], float(rng.uniform(0.5, 2))
                )
            keyed.append((float(rng.uniform(j + 1, n)), j, row))
        keyed.sort(key=lambda t: t[0])
        return [(j, row) for _, j, row in keyed]

    def _malformed_positions(
        self, records: Sequence[_Record], order: Sequence[tuple[int, list[str] | None]], n_base: int
    ) -> set[int]:
        """Positions of the broken movies: near the original's, on movies with a date, a text and
        no duplicate; each gets an unquoted overview broken over two lines."""
        duplicated = {j for j, row in order if row is not None}
        chosen: set[int] = set()
        for frac in _MALFORMED_AT:
            k = int(frac * len(order))
            while True:
                j, variant = order[k]
                row = records[j].row
                if (
                    variant is None
                    and j not in duplicated
                    and k not in chosen
                    and len(row[_COL["release_date"]]) == 10
                    and len(_plain(row[_OVERVIEW]).split()) >= 4
                ):
                    break
                k += 1 if k + 1 < len(order) else -(len(order) - 1)
            chosen.add(k)
            writer_name = self.names[int(self.rng.integers(0, len(self.names)))]
            records[j].tail = f" - Written by {writer_name}"
        return chosen

    # --- credits.csv
    def _credits(self, rec: _Record) -> tuple[str, str]:
        sample = self.sample
        real_cast = sample.cast[rec.src][:1] + [
            n for n in sample.cast[rec.partner][1:3] if n not in sample.cast[rec.src][:1]
        ]
        directors = sample.directors[rec.src]
        if not self.full_credits:
            cast = [{"name": name, "order": i} for i, name in enumerate(real_cast)]
            crew = [{"department": "Directing", "job": "Director", "name": d} for d in directors]
            return repr(cast), repr(crew)
        return self._full_cast(real_cast), self._full_crew(directors)

    def _length(self, median: float, sigma: float, empty: float) -> int:
        if self.rng.random() < empty:
            return 0
        return min(_MAX_LIST, max(1, round(median * math.exp(sigma * self.rng.normal()))))

    def _full_cast(self, real: list[str]) -> str:
        rng = self.rng
        n = self._length(_CAST_MEDIAN, _CAST_SIGMA, _CAST_EMPTY)
        if n == 0:
            return "[]"
        people = [self.index_of[name] for name in real[:n]]
        people += self._tail(n - len(people))
        ids = np.sort(rng.choice(max(3 * n, 40), n, replace=False))
        rng.shuffle(ids[min(len(real), n) :])  # top billing keeps low cast ids, the rest vary
        cast_ids = ids.tolist()
        characters = self._characters(people)
        credits = rng.bytes(12 * n).hex()
        parts = []
        for order, (person, character) in enumerate(zip(people, characters, strict=True)):
            parts.append(
                f"{{'cast_id': {cast_ids[order]}, 'character': {character!r}, "
                f"'credit_id': '{credits[24 * order : 24 * order + 24]}', "
                f"'gender': {self.genders[person]}, 'id': {self.person_ids[person]}, "
                f"'name': {self.names[person]!r}, 'order': {order}, "
                f"'profile_path': {self.profiles[person]!r}}}"
            )
        return "[" + ", ".join(parts) + "]"

    def _characters(self, people: Sequence[int]) -> list[str]:
        """Character names; some with apostrophes, quotes or commas, as in the original."""
        rng, n = self.rng, len(people)
        firsts = rng.integers(0, len(self.firsts), n).tolist()
        lasts = rng.integers(0, len(self.lasts), n).tolist()
        extra = rng.integers(0, 70, n).tolist()
        kinds = rng.integers(0, 20, n).tolist()
        out = []
        for person, f, la, x, kind in zip(people, firsts, lasts, extra, kinds, strict=True):
            first, last = self.firsts[f], self.lasts[la]
            nick = _NICKNAMES[x % len(_NICKNAMES)]
            if kind < 6:
                out.append(f"{first} {last}")
            elif kind < 9:
                out.append(first)
            elif kind == 9:
                out.append("Himself" if self.genders[person] == 2 else "Herself")
            elif kind == 10:
                out.append(f"{first} (voice)")
            elif kind == 11:
                out.append(f"Dr. {last}")
            elif kind == 12:
                out.append(f"{first} O'{last}")
            elif kind == 13:
                out.append(f"{first} '{nick}' {last}")
            elif kind == 14:
                out.append(f'"{nick}"')
            elif kind == 15:
                out.append(f'{first} "{nick}" O\'{last}')
            elif kind == 16:
                out.append(f"{first}, {_ROLES[x % len(_ROLES)]}")
            elif kind == 17:
                out.append(f"Officer #{1 + x % 9}")
            elif kind == 18:
                out.append("")
            else:
                out.append(f"Mrs. {last}")
        return out

    def _full_crew(self, directors: list[str]) -> str:
        rng = self.rng
        n = max(self._length(_CREW_MEDIAN, _CREW_SIGMA, _CREW_EMPTY), len(directors))
        if n == 0:
            return "[]"
        weights = np.array([w for _, _, w in _CREW_JOBS], dtype=float)
        jobs = rng.choice(len(_CREW_JOBS), n - len(directors), p=weights / weights.sum()).tolist()
        entries: list[tuple[str, str, int]] = [
            (_CREW_JOBS[job][0], _CREW_JOBS[job][1], person)
            for job, person in zip(
                jobs,
                self._tail(len(jobs)),
                strict=True,
            )
        ]
        for name in directors:
            # The director sits anywhere in the list, as in the original (often near the top).
            at = int(rng.integers(0, min(len(entries), 5) + 1))
            entries.insert(at, ("Directing", "Director", self.index_of[name]))
        credits = rng.bytes(12 * n).hex()
        parts = [
            f"{{'credit_id': '{credits[24 * k : 24 * k + 24]}', 'department': {dept!r}, "
            f"'gender': {self.genders[person]}, 'id': {self.person_ids[person]}, "
            f"'job': {job!r}, 'name': {self.names[person]!r}, "
            f"'profile_path': {self.profiles[person]!r}}}"
            for k, (dept, job, person) in enumerate(entries)
        ]
        return "[" + ", ".join(parts) + "]"


@dataclass
class _Record:
    """One generated movie: its row, the sample rows it was mixed from, its keywords cell."""

    row: list[str]
    src: int
    partner: int
    keywords: str
    tail: str  # set for the three broken movies: the overview's second line


_B62 = np.array(list("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _path(rng: np.random.Generator) -> str:
    """A TMDB-style image path: ``/`` + 27 base-62 characters + ``.jpg``."""
    return "/" + "".join(_B62[rng.integers(0, 62, 27)].tolist()) + ".jpg"


def _jitter(cell: str, factor: float) -> str:
    try:
        value = float(cell)
    except ValueError:
        return cell
    return repr(round(value * factor, 6))


def _collection(cell: str, family: int, other_title: str) -> str:
    """The collection cell of a resampled row: family 0 keeps the real collection, the others get
    a new id and a mixed name, in the raw cell's format (``repr`` of the dict, keys in order)."""
    if family == 0 or not cell.startswith("{"):
        return cell
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return cell
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return cell
    name = str(value.get("name") or "")
    stem = name.removesuffix(" Collection")
    value["id"] = value["id"] + 1_000_000 * family
    value["name"] = f"{_mix_words(stem, other_title)} Collection" if stem else name
    return repr(value)


def _mix_words(a: str, b: str) -> str:
    """The first half of ``a``'s words and the second half of ``b``'s (at least one word each)."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return a or b
    head = wa[: max(1, math.ceil(len(wa) / 2))]
    tail = wb[len(wb) // 2 :] if len(wb) > 1 else wb
    return " ".join(head + tail)


def _mix_sentences(a: str, b: str) -> str:
    sa, sb = _sentences(a), _sentences(b)
    if not sa or not sb:
        return a or b
    return " ".join(sa[: max(1, math.ceil(len(sa) / 2))] + sb[len(sb) // 2 :])


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(". "):
        if part.strip():
            out.append(part.strip() if part.strip().endswith(".") else part.strip() + ".")
    if out and not text.rstrip().endswith("."):
        out[-1] = out[-1][:-1]
    return out


def _mix_lists(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    mixed = {d["id"]: d for d in a[: math.ceil(len(a) / 2)] + b[len(b) // 2 :]}
    return list(mixed.values())


def _plain(text: str) -> str:
    """Text safe to write unquoted in a CSV field: no commas, quotes or line breaks."""
    return " ".join(text.replace(",", " ").replace('"', " ").split())


def _csv_line(cells: Sequence[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


def _broken_lines(row: Sequence[str], tail: str) -> str:
    """The original's broken record: an unquoted overview with a line break in it.

    A CSV reader sees two records: the first 10 fields (the rest missing), then the overview's second
    line followed by the 14 fields after ``overview``, each 9 columns left of where it belongs.
    """
    head = _plain(row[_OVERVIEW]).split(". ")[0].rstrip(".")
    first = _csv_line(row[:_OVERVIEW]) + "," + head
    second = tail + "," + _csv_line(row[_OVERVIEW + 1 :])
    return first + "\n" + second + "\n"


# ---------------------------------------------------------------------------------------------
# links.csv and ratings.csv (MovieLens layout) over the generated catalogue

RATINGS_VERSION: Final = 3
FULL_RATINGS: Final = 26_024_289
FULL_USERS: Final = 270_896
RATINGS_MARKER: Final = ".ratings.json"
RATINGS_HEADER: Final = "userId,movieId,rating,timestamp"
LINKS_HEADER: Final = "movieId,imdbId,tmdbId"
STARS: Final = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)
# The real links.csv has movieIds 1 to 176,279 in about catalogue order, 45,843 links for 45,466
# rows: some films outside the catalogue (no tmdbId, or a tmdbId metadata lacks) and a few second
# movieIds of one film. Of the extra links: 40% without tmdbId, 40% outside, 20% second movieIds.
_MAX_MOVIE_ID: Final = 176_279
_EXTRA_LINKS: Final = 0.008
_EXTRA_KINDS: Final = (0.4, 0.4, 0.2)
_OUTSIDE_IDS: Final = 500_000  # generated catalogue ids are below 499,002
# Ratings per user: lognormal with the real median (70); sigma gives the full file's mean (96.07).
_USER_MEDIAN: Final = 70.0
# Item popularity: weight (rank + offset) ** -exponent, ranked by the film's real vote count with
# noise; the top film gets about 0.35% of all ratings (about 90,000), as Forrest Gump in MovieLens.
_ZIPF_EXPONENT: Final = 1.2
_ZIPF_OFFSET: Final = 25.0
_RANK_NOISE: Final = 0.8
# Release-year eras users may prefer: before 1970, the 1970s-80s, 1990-2004, 2005 on.
_ERA_STARTS: Final = (1970, 1990, 2005)
# Taste: preferred genres drawn by genre share ** power (rarer genres get fans too); the share of a
# user's draws from their preferred genres ~ Beta(*_LOYALTY); of those, the share from their era.
_GENRE_PICK_POWER: Final = 0.5
_LOYALTY: Final = (6.0, 2.0)
_ERA_LOYALTY: Final = 0.7
_HALF_STARS_FROM: Final = 1_045_526_400  # 2003-02-18: MovieLens had whole stars only before it
_USERS_PER_CHUNK: Final = 20_000
_GENRE_NAME = re.compile(r"'name': '([^']*)'")


@dataclass(frozen=True)
class _Films:
    """What the ratings generator takes from the generated catalogue, one entry per distinct id."""

    tmdb: npt.NDArray[np.int64]
    imdb: npt.NDArray[np.int64]
    genres: npt.NDArray[np.int64]  # bit mask over genre_names
    genre_names: list[str]
    era: npt.NDArray[np.int64]
    votes: npt.NDArray[np.float64]
    quality: npt.NDArray[np.float64]  # vote average shrunk towards 6 by the vote count, z-scored


@dataclass(frozen=True)
class _RealRatings:
    """What the ratings generator takes from the real ratings_small.csv."""

    stars_whole: npt.NDArray[np.float64]  # share of each of STARS before half stars existed
    stars_half: npt.NDArray[np.float64]  # the same after
    first: npt.NDArray[np.int64]  # each real user's first timestamp
    span: npt.NDArray[np.int64]  # each real user's last minus first timestamp
    last: int


def generate_ratings(
    movies_dir: Path,
    sample_dir: Path,
    *,
    n_ratings: int = FULL_RATINGS,
    n_users: int = FULL_USERS,
    seed: int = 0,
    compress: bool = False,
) -> tuple[Path, Path]:
    """Write MovieLens ``links.csv`` and ``ratings.csv`` (``.csv.gz`` with ``compress``) beside a
    generated catalogue in ``movies_dir``; return their paths. Reused when written with the same
    parameters over the same catalogue.

    Every distinct catalogue film gets a link (movieId -> imdbId, tmdbId), plus extra links as in the
    real file. Ratings: ``n_ratings`` rows by users 1..``n_users``, sorted by userId then movieId,
    no repeated (user, movie) pair. Activity per user is lognormal (median 70, a few thousand at the
    top); item popularity is Zipf-like, ranked by the film's real vote count. Users have taste: each
    prefers one to three genres and one era of the catalogue; about two thirds of their ratings
    (per-user share, Beta(4, 2)) go to films of a preferred genre, more often of the preferred era,
    and those films get higher ratings. A rating is a latent score (film quality from its vote
    average, user bias, taste match, noise) cut at the real ratings_small.csv quantiles, whole stars
    only before 2003-02-18 (as MovieLens); timestamps follow the real users' first dates and spans.
    """
    if n_users < 1 or n_ratings < n_users:
        raise ValueError(f"need 1 <= n_users <= n_ratings, got {n_users:,} users, {n_ratings:,}")
    params = {
        "ratings_version": RATINGS_VERSION,
        "n_ratings": n_ratings,
        "n_users": n_users,
        "seed": seed,
        "compress": compress,
        "catalogue": json.loads((movies_dir.parent / MARKER).read_text(encoding="utf-8")),
    }
    ratings_path = movies_dir / ("ratings.csv.gz" if compress else "ratings.csv")
    links_path = movies_dir / "links.csv"
    marker = movies_dir.parent / RATINGS_MARKER
    with (movies_dir.parent / ".ratings.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (
            marker.is_file()
            and json.loads(marker.read_text(encoding="utf-8")) == params
            and ratings_path.is_file()
            and links_path.is_file()
        ):
            print(f"ratings: reusing {ratings_path}", flush=True)
            return ratings_path, links_path
        marker.unlink(missing_ok=True)
        for stale in ("ratings.csv", "ratings.csv.gz", "links.csv"):
            (movies_dir / stale).unlink(missing_ok=True)
        started = time.perf_counter()
        films = _read_films(movies_dir / "movies_dataset.csv")
        real = _read_real_ratings(sample_dir / "movies")
        print(
            f"ratings: {len(films.tmdb):,} films, {len(films.genre_names)} genres; generating "
            f"{n_ratings:,} ratings by {n_users:,} users (seed {seed})",
            flush=True,
        )
        generator = _RatingsGenerator(films, real, np.random.default_rng([seed, 7919]))
        tmp_links = links_path.with_name(f"links.tmp-{os.getpid()}")
        generator.write_links(tmp_links)
        tmp_ratings = ratings_path.with_name(f"ratings.tmp-{os.getpid()}")
        generator.write_ratings(tmp_ratings, n_ratings, n_users, compress)
        tmp_links.rename(links_path)
        tmp_ratings.rename(ratings_path)
        marker.write_text(json.dumps(params, indent=1), encoding="utf-8")
        print(
            f"ratings: wrote {ratings_path.name} ({ratings_path.stat().st_size / 1e6:,.1f} MB) "
            f"and {links_path.name} in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        return ratings_path, links_path


def _number(cell: str, default: float) -> float:
    try:
        value = float(cell)
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _read_films(path: Path) -> _Films:
    """Distinct films of a generated movies_dataset.csv (first occurrence of a repeated id; the
    broken rows keep their id, imdb id and genres, the rest defaults)."""
    names: dict[str, int] = {}
    tmdb, imdb, genres, years, votes, averages = [], [], [], [], [], []
    seen: set[int] = set()
    rows = iter_rows(path)
    next(rows)
    for row in rows:
        if len(row) < _OVERVIEW or not row[_COL["id"]].isdigit():
            continue
        film = int(row[_COL["id"]])
        if film in seen:
            continue
        seen.add(film)
        tmdb.append(film)
        imdb_cell = row[_COL["imdb_id"]].removeprefix("tt")
        imdb.append(int(imdb_cell) if imdb_cell.isdigit() else 0)
        mask = 0
        for name in _GENRE_NAME.findall(row[_COL["genres"]]):
            mask |= 1 << names.setdefault(name, len(names))
        genres.append(mask)
        whole = len(row) == len(MOVIE_HEADER)
        date = row[_COL["release_date"]] if whole else ""
        years.append(int(date[:4]) if date[:4].isdigit() else 2000)
        votes.append(_number(row[_COL["vote_count"]], 0.0) if whole else 0.0)
        averages.append(_number(row[_COL["vote_average"]], 6.0) if whole else 6.0)
    if len(names) > 62:
        raise ValueError(f"{path}: {len(names)} genres, at most 62 fit the mask")
    count = np.asarray(votes)
    shrunk = (np.asarray(averages) * count + 6.0 * 10) / (count + 10)
    return _Films(
        tmdb=np.asarray(tmdb, dtype=np.int64),
        imdb=np.asarray(imdb, dtype=np.int64),
        genres=np.asarray(genres, dtype=np.int64),
        genre_names=list(names),
        era=np.searchsorted(np.asarray(_ERA_STARTS), np.asarray(years), side="right").astype(
            np.int64
        ),
        votes=count,
        quality=(shrunk - shrunk.mean()) / (shrunk.std() or 1.0),
    )


def _read_real_ratings(folder: Path) -> _RealRatings:
    with _open_csv(folder, "ratings_small.csv") as f:
        frame = pd.read_csv(f, usecols=["userId", "rating", "timestamp"])
    stars = np.asarray(STARS)

    def shares(ratings: pd.Series[float]) -> npt.NDArray[np.float64]:
        counts = np.array([(ratings == s).sum() for s in stars], dtype=np.float64)
        share: npt.NDArray[np.float64] = counts / max(counts.sum(), 1.0)
        return share

    early = frame["timestamp"] < _HALF_STARS_FROM
    by_user = frame.groupby("userId")["timestamp"]
    first = by_user.min().to_numpy(dtype=np.int64)
    half = shares(frame.loc[~early, "rating"])
    return _RealRatings(
        # A sample without early ratings: the half-star shares for every date.
        stars_whole=shares(frame.loc[early, "rating"]) if early.any() else half,
        stars_half=half,
        first=first,
        span=by_user.max().to_numpy(dtype=np.int64) - first,
        last=int(frame["timestamp"].max()),
    )


class _RatingsGenerator:
    """Links and ratings over the films, with one random generator in a fixed order."""

    def __init__(self, films: _Films, real: _RealRatings, rng: np.random.Generator) -> None:
        self.films, self.real, self.rng = films, real, rng
        n_films = len(films.tmdb)
        n_extra = max(3, round(_EXTRA_LINKS * n_films))
        self.n_films, self.n_items = n_films, n_films + n_extra
        # Items are the films then the extra MovieLens titles; movieIds ascend in catalogue order
        # with the extras interleaved at random places.
        top = max(_MAX_MOVIE_ID, 4 * self.n_items)
        movie_ids = np.sort(rng.choice(top, self.n_items, replace=False) + 1)
        extra_slots = np.sort(rng.choice(self.n_items, n_extra, replace=False))
        film_slots = np.setdiff1d(np.arange(self.n_items), extra_slots)
        self.movie_id = np.empty(self.n_items, dtype=np.int64)
        self.movie_id[:n_films] = movie_ids[film_slots]
        self.movie_id[n_films:] = movie_ids[extra_slots]
        kind = rng.choice(3, n_extra, p=_EXTRA_KINDS)
        self.extra_tmdb = np.where(
            kind == 0,
            -1,
            np.where(
                kind == 1,
                _OUTSIDE_IDS + rng.choice(500_000, n_extra, replace=False),
                films.tmdb[rng.integers(0, n_films, n_extra)],
            ),
        )
        self.extra_imdb = rng.integers(1, 9_000_000, n_extra)
        # Popularity: rank by the real vote count with noise (extras rank like little-known films).
        votes = np.concatenate([films.votes, np.zeros(n_extra)])
        score = np.log1p(votes) + rng.normal(0.0, _RANK_NOISE, self.n_items)
        rank = np.empty(self.n_items, dtype=np.float64)
        rank[np.argsort(-score, kind="stable")] = np.arange(self.n_items)
        self.weight = (rank + _ZIPF_OFFSET) ** -_ZIPF_EXPONENT
        self.quality = np.concatenate([films.quality, rng.normal(-0.5, 1.0, n_extra)])
        self.genres = np.concatenate([films.genres, np.zeros(n_extra, dtype=np.int64)])
        self.era = np.concatenate([films.era, rng.integers(0, len(_ERA_STARTS) + 1, n_extra)])
        self.cuts: tuple[npt.NDArray[np.float64], ...] | None = None
        self._components()

    def _components(self) -> None:
        """One cumulative distribution per sampling component, all in one ascending array: the
        component ``k`` spans values ``k`` to ``k + 1``, so one ``searchsorted`` serves all."""
        n_genres, n_eras = len(self.films.genre_names), len(_ERA_STARTS) + 1
        members: list[npt.NDArray[np.int64]] = [np.arange(self.n_items)]  # 0: popularity alone
        genre_all = np.zeros(n_genres, dtype=np.int64)
        self.cell = np.zeros((n_genres, n_eras), dtype=np.int64)
        for g in range(n_genres):
            in_genre = np.flatnonzero(self.genres & (1 << g))
            genre_all[g] = len(members)
            members.append(in_genre)
            for e in range(n_eras):
                cell = in_genre[self.era[in_genre] == e]
                self.cell[g, e] = genre_all[g] if len(cell) == 0 else len(members)
                if len(cell):
                    members.append(cell)
        cdfs = []
        for k, items in enumerate(members):
            cum = np.cumsum(self.weight[items])
            cdfs.append(k + cum / cum[-1])
        self.cdf = np.concatenate(cdfs)
        self.cdf_item = np.concatenate(members)
        # Genre shares among films weigh which genres users prefer; era shares likewise.
        self.genre_share = np.array(
            [len(members[genre_all[g]]) for g in range(n_genres)], dtype=np.float64
        )
        self.genre_share /= self.genre_share.sum()
        self.era_share = np.bincount(self.era[: self.n_films], minlength=n_eras) / self.n_films

    def write_links(self, path: Path) -> None:
        films = self.films
        tmdb = np.concatenate([films.tmdb, self.extra_tmdb])
        imdb = np.concatenate([films.imdb, self.extra_imdb])
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(LINKS_HEADER + "\n")
            for i in np.argsort(self.movie_id).tolist():
                cell = "" if tmdb[i] < 0 else str(tmdb[i])
                f.write(f"{self.movie_id[i]},{imdb[i]:07d},{cell}\n")

    def _users(self, n_users: int, n_ratings: int) -> dict[str, npt.NDArray[Any]]:
        rng = self.rng
        # sigma from mean / median = exp(sigma^2 / 2)
        mean = n_ratings / n_users
        sigma = math.sqrt(2 * math.log(mean / _USER_MEDIAN)) if mean > _USER_MEDIAN else 0.3
        raw = np.exp(rng.normal(math.log(_USER_MEDIAN), sigma, n_users))
        cap = max(1, self.n_items // 2)
        counts = np.clip(np.round(raw * n_ratings / raw.sum()), 1, cap).astype(np.int64)
        while (gap := n_ratings - int(counts.sum())) != 0:
            who = rng.integers(0, n_users, min(abs(gap), n_users))
            step = np.sign(gap)
            ok = (counts[who] + step >= 1) & (counts[who] + step <= cap)
            np.add.at(counts, np.unique(who[ok]), step)
        n_genres = len(self.films.genre_names)
        # Preferred genres: a Gumbel top-3 draw weighted by genre share, of which the first 1-3.
        keys = _GENRE_PICK_POWER * np.log(self.genre_share) + rng.gumbel(size=(n_users, n_genres))
        preferred = np.argsort(-keys, axis=1)[:, :3]
        n_preferred = rng.choice([1, 2, 3], n_users, p=[0.25, 0.45, 0.30])
        first = self.real.first[rng.integers(0, len(self.real.first), n_users)]
        first = first + rng.normal(0, 30 * 86_400, n_users).astype(np.int64)
        first = np.clip(first, self.real.first.min(), self.real.last)
        span = self.real.span[rng.integers(0, len(self.real.span), n_users)]
        return {
            "count": counts,
            "preferred": preferred,
            "n_preferred": n_preferred,
            "mask": np.where(np.arange(3) < n_preferred[:, None], 1 << preferred, 0).sum(axis=1),
            "era": rng.choice(len(self.era_share), n_users, p=self.era_share),
            "loyalty": rng.beta(*_LOYALTY, n_users),
            "bias": rng.normal(0.0, 0.5, n_users),
            "first": first,
            "span": np.minimum(span, self.real.last - first),
        }

    def _draw(
        self,
        users: dict[str, npt.NDArray[Any]],
        who: npt.NDArray[np.int64],
        n: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        """Items for ``n[i]`` draws of user ``who[i]`` (with repeats): taste component, then item."""
        rng = self.rng
        user = np.repeat(who, n)
        total = len(user)
        pick = rng.integers(0, 3, total) % users["n_preferred"][user]
        genre = users["preferred"][user, pick]
        era = np.where(
            rng.random(total) < _ERA_LOYALTY,
            users["era"][user],
            rng.choice(len(self.era_share), total, p=self.era_share),
        )
        component = np.where(rng.random(total) < users["loyalty"][user], self.cell[genre, era], 0)
        at = np.searchsorted(self.cdf, component + rng.random(total))
        return self.cdf_item[np.minimum(at, len(self.cdf_item) - 1)]

    def _sample(
        self, users: dict[str, npt.NDArray[Any]], lo: int, hi: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(user, item) pairs of users lo..hi-1, each user's count of distinct items: successive
        draws, the first occurrences kept in draw order (sampling without replacement)."""
        need = users["count"][lo:hi].copy()
        who_all = np.arange(lo, hi)
        got_user: list[npt.NDArray[np.int64]] = []
        got_item: list[npt.NDArray[np.int64]] = []
        taken = np.zeros(0, dtype=np.int64)
        for attempt in range(50):
            short = need > 0
            if not short.any():
                break
            who = who_all[short]
            n = np.ceil(need[short] * (1.3 + attempt)).astype(np.int64) + 5
            items = self._draw(users, who, n)
            user = np.repeat(who, n)
            key = (user - lo) * self.n_items + items
            fresh = np.ones(len(key), dtype=bool)
            if len(taken):  # taken is sorted: a binary search, faster than np.isin here
                at = np.minimum(np.searchsorted(taken, key), len(taken) - 1)
                fresh = taken[at] != key
            _, first = np.unique(key, return_index=True)
            first = np.sort(first[fresh[first]])
            user, items = user[first], items[first]
            starts = np.flatnonzero(np.r_[True, user[1:] != user[:-1]])
            lengths = np.diff(np.r_[starts, len(user)])
            rank = np.arange(len(user)) - np.repeat(starts, lengths)
            keep = rank < need[user - lo]
            user, items = user[keep], items[keep]
            need -= np.bincount(user - lo, minlength=hi - lo)
            got_user.append(user)
            got_item.append(items)
            # Two sorted runs: the stable sort (timsort) merges them in linear time.
            taken = np.concatenate([taken, np.sort((user - lo) * self.n_items + items)])
            taken.sort(kind="stable")
        if (need > 0).any():
            raise RuntimeError(f"could not draw {int(need.sum())} ratings for users {lo}..{hi}")
        return np.concatenate(got_user), np.concatenate(got_item)

    def _values(
        self,
        users: dict[str, npt.NDArray[Any]],
        user: npt.NDArray[np.int64],
        items: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        """Index into STARS and timestamp of each (user, item) rating."""
        rng, n = self.rng, len(user)
        taste = (users["mask"][user] & self.genres[items]) != 0
        same_era = users["era"][user] == self.era[items]
        score = (
            0.7 * self.quality[items]
            + users["bias"][user]
            + 0.8 * taste
            + 0.3 * same_era
            + rng.normal(0.0, 1.0, n)
        )
        # More ratings near a user's first day than later, as in the real spans.
        stamp = users["first"][user] + (users["span"][user] * rng.random(n) ** 3).astype(np.int64)
        if self.cuts is None:  # the first chunk sets the cut points for the whole file
            self.cuts = tuple(
                np.quantile(score, np.cumsum(shares)[:-1])
                for shares in (self.real.stars_whole, self.real.stars_half)
            )
        whole, half = self.cuts
        star = np.where(
            stamp < _HALF_STARS_FROM,
            np.searchsorted(whole, score, side="right"),
            np.searchsorted(half, score, side="right"),
        )
        return star, stamp

    def write_ratings(self, path: Path, n_ratings: int, n_users: int, compress: bool) -> None:
        users = self._users(n_users, n_ratings)
        self.cuts = None
        labels = pa.array([f"{s:.1f}" for s in STARS])
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        schema = pa.schema(
            [
                ("userId", pa.int64()),
                ("movieId", pa.int64()),
                ("rating", pa.string()),
                ("timestamp", pa.int64()),
            ]
        )
        started, written = time.perf_counter(), 0
        sink = (
            pa.CompressedOutputStream(str(path), "gzip") if compress else pa.OSFile(str(path), "wb")
        )
        with sink:
            sink.write((RATINGS_HEADER + "\n").encode())
            writer = pacsv.CSVWriter(sink, schema, write_options=options)
            for lo in range(0, n_users, _USERS_PER_CHUNK):
                hi = min(n_users, lo + _USERS_PER_CHUNK)
                user, items = self._sample(users, lo, hi)
                star, stamp = self._values(users, user, items)
                movie = self.movie_id[items]
                order = np.argsort(user * (int(self.movie_id.max()) + 1) + movie)
                writer.write_table(
                    pa.table(
                        [
                            pa.array(user[order] + 1),
                            pa.array(movie[order]),
                            labels.take(pa.array(star[order])),
                            pa.array(stamp[order]),
                        ],
                        schema=schema,
                    )
                )
                written += len(order)
                print(
                    f"ratings: {written:,}/{n_ratings:,} rows, users {hi:,}/{n_users:,}, "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            writer.close()


def iter_rows(path: Path) -> Iterator[list[str]]:
    """CSV records of a generated file (header included), as a CSV reader sees them."""
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.reader(f)


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the full-scale raw-data folder and print its path."""
    parser = argparse.ArgumentParser(prog="python -m bench.catalogue", description=main.__doc__)
    add_raw_data_option(parser)
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top3", action="store_true", help="reconstructed credits layout only")
    parser.add_argument(
        "--ratings",
        type=int,
        nargs="?",
        const=FULL_RATINGS,
        default=0,
        help=f"also links.csv and ratings.csv with this many rows (alone: {FULL_RATINGS:,})",
    )
    parser.add_argument("--users", type=int, default=None, help="ratings users (default: scaled)")
    parser.add_argument("--gzip", action="store_true", help="write ratings.csv.gz instead")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: the cache)")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "n_rows": args.rows,
        "seed": args.seed,
        "full_credits": not args.top3,
        "n_ratings": args.ratings,
        "n_users": args.users,
        "compress_ratings": args.gzip,
    }
    if args.out is None:
        path = cached_data_dir(args.sample_dir, **options)
    else:
        path = generate_data_dir(args.sample_dir, args.out, **options)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

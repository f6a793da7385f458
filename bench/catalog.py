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

Generation is deterministic for a seed. ``cached_data_dir`` keeps the result under ``bench/.cache/``.
Run ``uv run python -m bench.catalog --rows 45466`` to build (or reuse) it and print its path.
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
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np

GENERATOR_VERSION: Final = 2
FULL_ROWS: Final = 45_466
CACHE_DIR: Final = Path(__file__).resolve().parent / ".cache"
MARKER: Final = ".catalog.json"

MOVIE_COLUMNS: Final = (
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
)
_COL = {name: i for i, name in enumerate(MOVIE_COLUMNS)}
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
    with (out_dir / ".catalog.lock").open("w") as lock:
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
            print(f"catalog: reusing {movies_dir}", flush=True)
            return movies_dir
        if not marker.is_file():
            raise FileExistsError(f"{movies_dir} exists and was not written by bench.catalog")
        marker.unlink()
        shutil.rmtree(movies_dir)
    started = time.perf_counter()
    sample = _read_sample(sample_dir)
    print(
        f"catalog: read the sample ({len(sample.rows):,} movies) in "
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
        f"catalog: wrote {movies_dir} ({sizes}) in {time.perf_counter() - started:.1f} s",
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
) -> Path:
    """A complete raw-data folder: the generated ``movies/`` and a symlink to the real ``streaming/``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generate_movies(sample_dir, out_dir, n_rows=n_rows, seed=seed, full_credits=full_credits)
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
) -> Path:
    """``generate_data_dir`` into ``cache_dir``, keyed by the parameters: generated once, then reused."""
    key = "data-{}-s{}-{}-v{}".format(
        n_rows, seed, "full" if full_credits else "top3", GENERATOR_VERSION
    )
    return generate_data_dir(
        sample_dir, cache_dir / key, n_rows=n_rows, seed=seed, full_credits=full_credits
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
        if tuple(header) != MOVIE_COLUMNS:
            raise ValueError(f"unexpected movies header in {folder}: {header}")
        rows = [r for r in reader if len(r) == len(MOVIE_COLUMNS) and r[_COL["id"]].isdigit()]
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
            f"catalog: {n_base:,} movies, {n_dup} duplicate ids, {n_malformed} broken rows",
            flush=True,
        )
        started = time.perf_counter()
        with (folder / "movies_dataset.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(MOVIE_COLUMNS)
            for k, (j, dup_variant) in enumerate(order):
                row = records[j].row if dup_variant is None else dup_variant
                if k in malformed:
                    f.write(_broken_lines(row, records[j].tail))
                else:
                    writer.writerow(row)
        print(f"catalog: movies_dataset.csv in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        with (folder / "keywords.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("id", "keywords"))
            for j, _ in order:
                writer.writerow((records[j].row[_COL["id"]], records[j].keywords))
        print(f"catalog: keywords.csv in {time.perf_counter() - started:.1f} s", flush=True)
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
                    print(f"catalog: credits {k:,}/{len(order):,} movies", flush=True)
        print(f"catalog: credits.csv in {time.perf_counter() - started:.1f} s", flush=True)

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


def iter_rows(path: Path) -> Iterator[list[str]]:
    """CSV records of a generated file (header included), as a CSV reader sees them."""
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.reader(f)


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the full-scale raw-data folder and print its path."""
    parser = argparse.ArgumentParser(prog="python -m bench.catalog", description=main.__doc__)
    parser.add_argument(
        "--sample-dir", type=Path, default=Path(os.environ.get("DATA_DIR", "../shared/data"))
    )
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top3", action="store_true", help="reconstructed credits layout only")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: the cache)")
    args = parser.parse_args(argv)
    if args.out is None:
        path = cached_data_dir(
            args.sample_dir, n_rows=args.rows, seed=args.seed, full_credits=not args.top3
        )
    else:
        path = generate_data_dir(
            args.sample_dir, args.out, n_rows=args.rows, seed=args.seed, full_credits=not args.top3
        )
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hand-written raw inputs reproducing quirks the shared sample lacks, written into tmp_path per test."""

from __future__ import annotations

import csv
import gzip
import io
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from etl.cli import main
from etl.streaming import TITLE_COLUMNS
from tests.support.raw import MOVIE_HEADER


@pytest.fixture(autouse=True)
def _fresh_log_handler() -> Iterator[None]:
    """``etl.cli.main`` installs a stdout log handler once per process; drop it around each test so
    that it never writes to a previous test's closed capture stream."""

    def drop() -> None:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_cinemateca", False)]:
            root.removeHandler(handler)

    drop()
    yield
    drop()


TITLE_HEADER = TITLE_COLUMNS  # the four platforms' files: every column is one the ETL reads


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, crlf: bool = False
) -> Path:
    """Write a CSV the way the raw files are written (minimal quoting), gzipped when the name says so."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def movie_row(**values: str) -> list[str]:
    """A well-formed movies row: defaults for every column, overridden by ``values``."""
    row = {
        "adult": "False",
        "belongs_to_collection": "",
        "budget": "0",
        "genres": "[]",
        "homepage": "",
        "imdb_id": "tt0000001",
        "original_language": "en",
        "original_title": "Original",
        "overview": "An overview.",
        "popularity": "1.5",
        "poster_path": "/p.jpg",
        "production_companies": "[]",
        "production_countries": "[]",
        "release_date": "2000-01-01",
        "revenue": "0",
        "runtime": "90.0",
        "spoken_languages": "[]",
        "status": "Released",
        "tagline": "",
        "title": "A Title",
        "video": "False",
        "vote_average": "6.0",
        "vote_count": "10",
    }
    row.update(values)
    return [row[name] for name in MOVIE_HEADER]


def shifted_row(date: str, fragment: str, title: str) -> list[str]:
    """A column-shifted row shaped like the full file's three: a date in ``id``, text in ``adult``,
    a poster path in ``budget``, and fewer fields than the header."""
    return [
        fragment,
        "0.065736",
        "/ff9qCepilowshEtG2GYWwzt2bs4.jpg",
        "[{'name': 'Carousel Productions', 'id': 11176}, {'name': 'Vision View Entertainment', 'id': 11602}]",
        "[{'iso_3166_1': 'CA', 'name': 'Canada'}, {'iso_3166_1': 'LU', 'name': 'Luxembourg'}]",
        date,
        "0",
        "104.0",
        "[{'iso_639_1': 'en', 'name': 'English'}]",
        "Released",
        "",
        title,
        "False",
        "6.0",
        "1",
    ]


CHARACTERS = [
    "Woody (voice)",
    'Buzz\'s "best" friend',
    "Himself, {uncredited}",
    "Mr. O'Malley",
    'The "Boss", Sr.',
    "Back\\slash",
    "Zoë, la 'petite'",
]


def full_cast(count: int) -> list[dict[str, object]]:
    """Cast dicts with the full original key set, listed out of billing order."""
    cast: list[dict[str, object]] = [
        {
            "cast_id": 100 + i,
            "character": CHARACTERS[i % len(CHARACTERS)],
            "credit_id": f"52fe4284c3a36847f80{i:05d}",
            "gender": i % 3,
            "id": 5000 + i,
            "name": f"Actor {i:02d}" if i != 3 else "Conan O'Brien",
            "order": i,
            "profile_path": None if i % 4 == 0 else f"/profile{i}.jpg",
        }
        for i in range(count)
    ]
    return cast[::-1]


def full_crew(count: int, directors: Sequence[str]) -> list[dict[str, object]]:
    """Crew dicts with the full original key set; the directors sit in the middle of the list."""
    crew: list[dict[str, object]] = [
        {
            "credit_id": f"52fe4284c3a36847f81{i:05d}",
            "department": "Sound" if i % 2 else "Writing",
            "gender": 0,
            "id": 9000 + i,
            "job": "Original Music Composer" if i % 2 else "Screenplay",
            "name": f"Crew {i:02d}",
            "profile_path": None,
        }
        for i in range(count)
    ]
    for offset, name in enumerate(directors):
        crew.insert(
            count // 2 + offset,
            {
                "credit_id": "director",
                "department": "Directing",
                "gender": 2,
                "id": 7879 + offset,
                "job": "Director",
                "name": name,
                "profile_path": "/d.jpg",
            },
        )
    return crew


@pytest.fixture
def movies_raw(tmp_path: Path) -> Path:
    """A raw-data root whose movies/ folder has the full file's quirks (returns the root)."""
    return write_movies_raw(tmp_path / "raw")


def write_movies_raw(root: Path) -> Path:
    """Write the quirky movies/ folder under ``root``; return ``root``."""
    folder = root / "movies"
    rows = [
        movie_row(
            id="862",
            title="Toy Story",
            budget="30000000",
            revenue="373554033",
            release_date="1995-10-30",
            belongs_to_collection=repr(
                {"id": 10194, "name": "Toy Story Collection", "poster_path": None}
            ),
            genres=repr([{"id": 16, "name": "Animation"}, {"id": 35, "name": "Comedy"}]),
            production_companies=repr([{"name": "Pixar Animation Studios", "id": 3}]),
            production_countries=repr([{"iso_3166_1": "US", "name": "United States of America"}]),
            spoken_languages=repr([{"iso_639_1": "en", "name": "English"}]),
        ),
        movie_row(
            id="8844", title="Jumanji", budget="65000000", revenue="", release_date="1995-12-15"
        ),
        movie_row(id="8844", title="Jumanji again", release_date="1995-12-15"),
        shifted_row("1997-08-20", " - Written by Ørnås", "Midnight Man"),
        movie_row(
            id="1001", title="No budget", budget="0", revenue="12345", release_date="2001-05-04"
        ),
        movie_row(id="1002", title="No date", release_date=""),
        shifted_row(
            "2012-09-29", " Rune Balot goes to a casino", "Mardock Scramble: The Third Exhaust"
        ),
        movie_row(id="1003", title="Bad date", release_date="2011-02-30"),
        movie_row(id="1004", title="Other format", release_date="12/05/2001"),
        movie_row(
            id="1005",
            title="Odd cells",
            budget="/poster.jpg",
            revenue="nan",
            release_date="2010-07-16",
            genres="[{'id': 18, 'name': 'Dra",
            production_companies=repr([{"name": 'Lucky Red\'s "Best"', "id": 1}]),
        ),
        shifted_row("2014-01-01", " Avalanche Sharks tells the story", "Avalanche Sharks"),
        movie_row(id="1006", title="", original_title="Titre original", release_date="2015-03-02"),
        [*movie_row(id="1007", title="One field too many", release_date="2015-03-02"), "extra"],
    ]
    write_csv(folder / "movies_metadata.csv", MOVIE_HEADER, rows)
    credits = [
        [repr(full_cast(40)), repr(full_crew(60, ["John Lasseter", "Ash Brannon"])), "862"],
        [repr(full_cast(3)), "[]", "1001"],
        ["[{'name': 'Broken", "[]", "1005"],
        [repr(full_cast(2)), repr(full_crew(2, ["Nobody"])), "999999"],
        [repr(full_cast(1)), "[]", "862"],
    ]
    write_csv(folder / "credits.csv.gz", ["cast", "crew", "id"], credits)
    return root


def title_row(show_id: str, **values: str) -> list[str]:
    """A well-formed catalogue row with defaults, overridden by ``values``."""
    row = {
        "show_id": show_id,
        "type": "Movie",
        "title": f"Title {show_id}",
        "director": "",
        "cast": "",
        "country": "United States",
        "date_added": "March 30, 2021",
        "release_year": "2020",
        "rating": "PG-13",
        "duration": "90 min",
        "listed_in": "Drama",
        "description": "A description.",
    }
    row.update(values)
    return [row[name] for name in TITLE_HEADER]


@pytest.fixture
def streaming_raw(tmp_path: Path) -> Path:
    """A raw-data root whose streaming/ folder has the catalogues' quirks (returns the root)."""
    return write_streaming_raw(tmp_path / "raw")


def write_streaming_raw(root: Path) -> Path:
    """Write the quirky streaming/ folder under ``root``; return ``root``."""
    folder = root / "streaming"
    write_csv(
        folder / "amazon_prime_titles.csv.gz",
        TITLE_HEADER,
        [
            title_row(
                "s1",
                title="Line\r\nBreak Story",
                cast="Christina Ricci,\u2028David Hoflin",
                date_added="",
                rating="",
                duration="1 Season",
                type="TV Show",
                description="First line.\r\nSecond line, with \u2028 separator.",
            ),
            title_row(
                "s2", title="Test Title 1", cast="1, 2, 3", rating="ALL", duration="2 Seasons"
            ),
        ],
        crlf=True,
    )
    write_csv(
        folder / "disney_plus_titles.csv",
        TITLE_HEADER,
        [title_row("s1", title="Frozen", director="Chris Buck, Jennifer Lee", rating="PG")],
        crlf=True,
    )
    write_csv(
        folder / "hulu_titles.csv",
        TITLE_HEADER,
        [
            title_row("s1", rating="2 Seasons", duration="", type="TV Show"),
            title_row("s2", rating="", duration=""),
        ],
        crlf=True,
    )
    write_csv(
        folder / "netflix_titles.csv",
        TITLE_HEADER,
        [
            title_row(
                "s5542",
                title="Louis C.K. 2017",
                rating="74 min",
                duration="",
                date_added=" April 4, 2017",
                listed_in="Movies, Stand-Up Comedy ",
                country="United States, , France",
            ),
            title_row("s2", type="TV Show", rating="TV-MA", duration="3 Seasons"),
        ],
        crlf=True,
    )
    write_csv(
        folder / "ratings" / "1.csv",
        ["userId", "rating", "timestamp", "movieId"],
        [["1", "4.0", "1", "ns5542"], ["2", "3.0", "1", "ns5542"], ["3", "5", "1", "ds1"]],
    )
    write_csv(
        folder / "ratings" / "2.csv.gz",
        ["userId", "rating", "timestamp", "movieId"],
        [["4", "2.5", "1", "ns5542"]],
    )
    return root


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``etl`` with ``args`` in process: its exit code, stdout and stderr."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err

"""The ``etl`` command: summary table, idempotent re-runs, one-line errors for a user's mistakes."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import data_version, read_manifest
from etl.cli import main
from etl.config import Settings
from tests.support.raw import MOVIE_HEADER

from .conftest import run_cli, write_csv


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_second_run_is_skipped_and_a_changed_input_rebuilds(
    movies_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    flags = ("--data-dir", str(movies_raw), "--processed-dir", str(out))
    code, stdout, _ = run_cli(capsys, "movies", *flags)
    assert code == 0
    assert "rebuilt" in stdout
    assert "invalid_id=3" in stdout
    first = data_version(out, "movies")
    manifest = read_manifest(out, "movies")
    built_at = manifest["built_at"]
    assert manifest["schema_version"] == 1
    roles = {item["role"]: item for item in manifest["inputs"]}
    assert set(roles) == {"movies", "credits"}
    assert roles["credits"]["name"] == "credits.csv.gz"
    assert len(roles["credits"]["sha256"]) == 64
    assert roles["credits"]["bytes"] == (movies_raw / "movies" / "credits.csv.gz").stat().st_size
    assert (out / "movies" / "report.html").is_file()

    code, stdout, _ = run_cli(capsys, "movies", *flags)
    assert code == 0
    assert "skipped, up to date" in stdout
    assert data_version(out, "movies") == first
    assert read_manifest(out, "movies")["built_at"] == built_at  # nothing rewritten

    credits = movies_raw / "movies" / "credits.csv.gz"
    text = gzip.decompress(credits.read_bytes()).decode() + "[],[],1006\n"
    credits.write_bytes(gzip.compress(text.encode()))
    code, stdout, _ = run_cli(capsys, "movies", *flags)
    assert code == 0
    assert "rebuilt" in stdout
    second = data_version(out, "movies")
    assert second != first

    code, stdout, _ = run_cli(capsys, "movies", *flags, "--top-cast", "3")
    assert code == 0
    assert "rebuilt" in stdout
    assert data_version(out, "movies") not in (first, second)
    assert read_manifest(out, "movies")["parameters"] == {"top_cast": 3}
    cast = pq.read_table(out / "movies" / "movies.parquet").to_pydict()["cast"]
    assert max(len(names) for names in cast) == 3


def test_help_describes_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for option in ("--data-dir", "--processed-dir", "--top-cast", "--force", "--allow-shrink"):
        assert option in out
    assert "(default 0.05 = 5 %)" in " ".join(out.split())


def test_missing_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "all", "--data-dir", str(tmp_path / "nowhere"), "--processed-dir", str(tmp_path)
    )
    assert code == 1
    line = _one_line_error(err)
    assert str(tmp_path / "nowhere") in line
    assert "not found" in line


@pytest.mark.parametrize(
    ("edition", "missing", "message"),
    [
        ("movies", "credits.csv.gz", "missing input file credits.csv[.gz]"),
        ("streaming", "hulu_titles.csv", "missing input file hulu_titles.csv[.gz]"),
        ("streaming", "ratings", "ratings_by_title.csv[.gz]"),
    ],
    ids=["credits", "catalogue", "ratings"],
)
def test_missing_input(
    edition: str,
    missing: str,
    message: str,
    *,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A missing movies credits file, streaming catalogue or streaming ratings: one line, exit 1."""
    raw: Path = request.getfixturevalue(f"{edition}_raw")
    path = raw / edition / missing
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    code, _, err = run_cli(
        capsys, edition, "--data-dir", str(raw), "--processed-dir", str(tmp_path / "o")
    )
    assert code == 1
    assert message in _one_line_error(err)


def _drop_two_columns(raw: Path) -> Path:
    header = [name for name in MOVIE_HEADER if name not in ("release_date", "genres")]
    return write_csv(raw / "movies" / "movies_metadata.csv", header, [["x"] * len(header)])


def _not_gzip(raw: Path) -> Path:
    credits = raw / "movies" / "credits.csv.gz"
    credits.write_bytes(b"this is not gzip data at all")
    return credits


def _truncated_gzip(raw: Path) -> Path:
    credits = raw / "movies" / "credits.csv.gz"
    credits.write_bytes(credits.read_bytes()[:-40])
    return credits


def _latin1(raw: Path) -> Path:
    path = raw / "movies" / "movies_metadata.csv"
    path.write_bytes(path.read_bytes().replace(b"Toy Story", "Toy Störy".encode("latin-1")))
    return path


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_drop_two_columns, "missing column(s) release_date, genres"),
        (_not_gzip, "gzip"),
        (_truncated_gzip, "unreadable gzip"),
        (_latin1, "not UTF-8"),
    ],
    ids=["missing-columns", "not-gzip", "truncated-gzip", "not-utf8"],
)
def test_damaged_input_is_one_line_naming_the_file(
    movies_raw: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], Path],
    message: str,
) -> None:
    path = damage(movies_raw)
    code, _, err = run_cli(
        capsys, "movies", "--data-dir", str(movies_raw), "--processed-dir", str(tmp_path / "o")
    )
    assert code == 1
    line = _one_line_error(err)
    assert str(path) in line
    assert message in line


def test_invalid_top_cast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "movies", "--top-cast", "0", "--processed-dir", str(tmp_path))
    assert code == 2
    assert "top_cast" in _one_line_error(err)


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PROCESSED_DIR", str(tmp_path / "p"))
    monkeypatch.setenv("TOP_CAST", "7")
    settings = Settings()
    assert (settings.data_dir, settings.processed_dir, settings.top_cast) == (
        tmp_path,
        tmp_path / "p",
        7,
    )


def test_unwritable_output(
    movies_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the output folder should be")
    code, _, err = run_cli(
        capsys, "movies", "--data-dir", str(movies_raw), "--processed-dir", str(blocker)
    )
    assert code == 1
    line = _one_line_error(err)
    assert str(blocker) in line
    assert "cannot write" in line

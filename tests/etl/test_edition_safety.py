"""No silent data loss: empty inputs and shrinking editions are refused, and an edition is swapped in whole.

The kill -9 test runs the real ``etl`` console script as a process and kills it while it writes.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cinemateca_common.contract import MANIFEST, STREAMING_TABLE, data_version, read_manifest
from etl.cli import EXIT_SHRINK, main
from etl.config import Settings
from etl.pipeline import recover, run_edition, staging_dir

from .conftest import (
    TITLE_HEADER,
    run_cli,
    title_row,
    write_csv,
    write_movies_raw,
    write_streaming_raw,
)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of an edition's folder, by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("etl: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def built(streaming_raw: Path, tmp_path: Path) -> Path:
    """A processed folder holding a first build of the hand-written streaming edition."""
    out = tmp_path / "out"
    run_edition("streaming", Settings(data_dir=streaming_raw, processed_dir=out))
    return out


def _flags(raw: Path, out: Path) -> tuple[str, ...]:
    return ("streaming", "--data-dir", str(raw), "--processed-dir", str(out))


def test_a_header_only_platform_file_is_refused_and_the_edition_kept(
    streaming_raw: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(built / "streaming")
    hulu = write_csv(streaming_raw / "streaming" / "hulu_titles.csv", TITLE_HEADER, [], crlf=True)
    code, out, err = run_cli(capsys, *_flags(streaming_raw, built))
    assert code == 1
    assert _error_line(err) == (
        f"etl: error: {hulu}: no data rows (only a header): the hulu input is empty; "
        "the processed data is left as it was"
    )
    assert "edition  status" not in out  # no summary table
    assert _snapshot(built / "streaming") == before
    # Also on a first build, with nothing to keep: an empty input is never a valid edition.
    code, _, err = run_cli(capsys, *_flags(streaming_raw, built.with_name("fresh")))
    assert code == 1
    assert "no data rows" in _error_line(err)
    assert not (built.with_name("fresh") / "streaming").exists()


# Per edition: an input left empty (its name and bytes) and the columns its header needs, written out.
EMPTY_INPUTS = {
    "streaming": (
        "hulu_titles.csv",
        b"",
        "show_id, type, title, director, cast, country, date_added, release_year, rating, duration, "
        "listed_in, description",
    ),
    "movies": ("credits.csv.gz", gzip.compress(b""), "id, cast, crew"),
}


@pytest.mark.parametrize("edition", list(EMPTY_INPUTS))
def test_an_empty_input_is_refused_naming_the_columns_its_header_needs(
    edition: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, content, columns = EMPTY_INPUTS[edition]
    write_raw = write_movies_raw if edition == "movies" else write_streaming_raw
    raw = write_raw(tmp_path / "raw")
    empty = raw / edition / name
    empty.write_bytes(content)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, edition, "--data-dir", str(raw), "--processed-dir", str(out))
    assert code == 1
    assert _error_line(err) == (
        f"etl: error: {empty}: file is empty (expected a header with {columns})"
    )
    assert not (out / edition).exists()


def test_an_edition_losing_rows_is_refused_unless_allowed(
    streaming_raw: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(built / "streaming")
    first = data_version(built, "streaming")
    previous = read_manifest(built, "streaming")
    assert previous["rows_by_platform"]["hulu"] == 2
    # hulu goes from 2 titles to 1: a 50 % loss on that platform.
    write_csv(
        streaming_raw / "streaming" / "hulu_titles.csv",
        TITLE_HEADER,
        [title_row("s1", rating="2 Seasons", duration="", type="TV Show")],
        crlf=True,
    )
    code, _, err = run_cli(capsys, *_flags(streaming_raw, built))
    assert code == EXIT_SHRINK == 3
    line = _error_line(err)
    assert line.startswith("etl: error: streaming: ")
    assert "platform hulu would have 1 rows, 1 (50.0%) fewer than the current edition's 2" in line
    assert "more than the allowed 5.0%" in line
    assert line.endswith(
        "the current edition is kept (check the raw data, or accept with --allow-shrink "
        "or a larger --max-shrink)"
    )
    assert _snapshot(built / "streaming") == before

    code, _, err = run_cli(capsys, *_flags(streaming_raw, built), "--max-shrink", "0.6")
    assert code == 0, err
    assert data_version(built, "streaming") != first


def test_allow_shrink_accepts_the_smaller_edition(
    streaming_raw: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows_before = read_manifest(built, "streaming")["rows_out"]
    write_csv(
        streaming_raw / "streaming" / "hulu_titles.csv",
        TITLE_HEADER,
        [title_row("s1", rating="2 Seasons", duration="", type="TV Show")],
        crlf=True,
    )
    code, stdout, err = run_cli(capsys, *_flags(streaming_raw, built), "--allow-shrink")
    assert code == 0, err
    assert "rebuilt" in stdout
    assert "accepted (--allow-shrink)" in stdout + err  # the warning goes to the log
    assert read_manifest(built, "streaming")["rows_out"] == rows_before - 1
    table = pq.read_table(built / "streaming" / STREAMING_TABLE)
    assert table.num_rows == rows_before - 1


def test_bad_max_shrink_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["streaming", "--max-shrink", "5"])
    assert info.value.code == 2
    assert "'5' is not a number between 0 and 1" in capsys.readouterr().err


def test_outputs_are_swapped_in_whole_with_nothing_left_beside_them(built: Path) -> None:
    assert sorted(path.name for path in built.iterdir()) == ["streaming"]
    assert {path.name for path in (built / "streaming").iterdir()} == {
        MANIFEST,
        STREAMING_TABLE,
        "report.html",
    }


def test_kill_9_while_writing_leaves_the_previous_edition_servable(
    streaming_raw: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(built / "streaming")
    first = data_version(built, "streaming")
    # A changed input, so the next run writes a new edition; killed once its staging folder exists.
    write_csv(
        streaming_raw / "streaming" / "disney_plus_titles.csv",
        TITLE_HEADER,
        [
            title_row("s1", title="Frozen", director="Chris Buck, Jennifer Lee", rating="PG"),
            title_row("s2", title="Moana", rating="PG"),
        ],
        crlf=True,
    )
    staging = staging_dir(built / "streaming")
    etl = Path(sys.executable).with_name("etl")
    proc = subprocess.Popen(
        [str(etl), *_flags(streaming_raw, built)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not staging.exists():
            assert proc.poll() is None, "the ETL finished before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.001)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The previous edition is complete and readable, as a service starting now would find it.
    assert _snapshot(built / "streaming") == before
    assert data_version(built, "streaming") == first
    assert pq.read_table(built / "streaming" / STREAMING_TABLE).num_rows > 0
    assert staging.exists()  # the interrupted run's leftovers ...

    code, _, err = run_cli(capsys, *_flags(streaming_raw, built))
    assert code == 0, err
    assert not staging.exists()  # ... are removed by the next run, which builds the new edition
    assert data_version(built, "streaming") != first
    assert sorted(path.name for path in built.iterdir()) == ["streaming"]


def test_an_edition_moved_aside_by_a_crash_is_put_back(
    streaming_raw: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The state a crash between the two renames leaves: no edition folder, the old one aside.
    first = data_version(built, "streaming")
    aside = built / ".streaming.old"
    os.replace(built / "streaming", aside)
    (staging_dir(built / "streaming")).mkdir()
    recover(built / "streaming")
    assert data_version(built, "streaming") == first
    assert sorted(path.name for path in built.iterdir()) == ["streaming"]
    code, stdout, _ = run_cli(capsys, *_flags(streaming_raw, built))
    assert code == 0
    assert "skipped, up to date" in stdout


def test_an_unreadable_input_is_reported_as_unreadable(
    movies_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /proc/self/mem is a regular file that fails every read at offset 0 (EIO), even for root.
    credits = movies_raw / "movies" / "credits.csv.gz"
    credits.unlink()
    credits.symlink_to("/proc/self/mem")
    out = tmp_path / "o"
    code, _, err = run_cli(
        capsys, "movies", "--data-dir", str(movies_raw), "--processed-dir", str(out)
    )
    assert code == 1
    line = _error_line(err)
    assert line.startswith(f"etl: error: {credits}: cannot read (")
    assert "cannot write" not in line

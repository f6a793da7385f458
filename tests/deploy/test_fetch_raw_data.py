"""scripts/fetch_raw_data.py: the raw-data archive that image builds bake in (Railway)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy.conftest import load_script


@pytest.fixture(scope="module")
def fetch_raw_data() -> ModuleType:
    return load_script("fetch_raw_data")


def _archive(path: Path, members: dict[str, bytes], symlink: tuple[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink[0])
            info.type = tarfile.SYMTYPE
            info.linkname = symlink[1]
            tar.addfile(info)
    return path


def test_archive_with_a_top_folder_is_unpacked(fetch_raw_data: ModuleType, tmp_path: Path) -> None:
    archive = _archive(
        tmp_path / "raw.tar.gz",
        {
            "kaggle/movies/movies_dataset.csv.gz": b"m",
            "kaggle/streaming/netflix_titles.csv.gz": b"n",
        },
    )
    dest = fetch_raw_data.fetch(_pinned(archive), tmp_path / "data" / "raw")
    assert (dest / "movies" / "movies_dataset.csv.gz").read_bytes() == b"m"
    assert (dest / "streaming" / "netflix_titles.csv.gz").read_bytes() == b"n"
    assert sorted(p.name for p in dest.iterdir()) == ["movies", "streaming"]


def test_archive_without_the_editions_is_refused(
    fetch_raw_data: ModuleType, tmp_path: Path
) -> None:
    archive = _archive(tmp_path / "raw.tar.gz", {"movies/a.csv": b"a"})
    with pytest.raises(fetch_raw_data.FetchError, match="holds no movies/ and streaming/ folders"):
        fetch_raw_data.unpack(archive, tmp_path / "raw")


@pytest.mark.parametrize(
    ("members", "symlink"),
    [({"../evil.csv": b"x"}, None), ({"movies/a": b"a"}, ("streaming", "/etc"))],
)
def test_unsafe_members_are_refused(
    fetch_raw_data: ModuleType,
    tmp_path: Path,
    members: dict[str, bytes],
    symlink: tuple[str, str] | None,
) -> None:
    archive = _archive(tmp_path / "raw.tar.gz", members, symlink)
    with pytest.raises(fetch_raw_data.FetchError, match=r"cannot unpack raw\.tar\.gz"):
        fetch_raw_data.unpack(archive, tmp_path / "out" / "raw")
    assert not (tmp_path / "evil.csv").exists()
    assert not (tmp_path / "out" / "evil.csv").exists()


def _pinned(archive: Path) -> str:
    """The archive's file URL with its sha256 fragment."""
    return f"{archive.as_uri()}#sha256={hashlib.sha256(archive.read_bytes()).hexdigest()}"


def test_bad_url_is_one_clear_line(fetch_raw_data: ModuleType, tmp_path: Path) -> None:
    assert fetch_raw_data.main(["ftp://example.org/raw.tar.gz", str(tmp_path / "raw")]) == 1
    missing = f"{(tmp_path / 'missing.tar.gz').as_uri()}#sha256={'0' * 64}"
    with pytest.raises(fetch_raw_data.FetchError, match="cannot download file://"):
        fetch_raw_data.fetch(missing, tmp_path / "raw")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/raw.tar.gz", ("https://example.org/raw.tar.gz", None)),
        (
            "https://example.org/raw.tar.gz#sha256=" + "AB" * 32,
            ("https://example.org/raw.tar.gz", "ab" * 32),
        ),
        ("http://example.org/r.tgz#sha256=" + "0" * 64, ("http://example.org/r.tgz", "0" * 64)),
    ],
)
def test_https_or_a_sha256_is_accepted(
    fetch_raw_data: ModuleType, url: str, expected: tuple[str, str | None]
) -> None:
    assert fetch_raw_data.check_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://example.org/raw.tar.gz",
            "RAW_DATA_URL 'http://example.org/raw.tar.gz' is not https: add the archive's sha256",
        ),
        ("file:///srv/raw.tar.gz", "is not https: add the archive's sha256"),
        (
            "https://example.org/raw.tar.gz#md5=abc",
            "RAW_DATA_URL fragment 'md5=abc' is not sha256=<64 hex digits>",
        ),
        ("ftp://example.org/raw.tar.gz", "must be an https, http or file URL"),
    ],
)
def test_plain_http_or_file_without_sha256_is_refused(
    fetch_raw_data: ModuleType, tmp_path: Path, url: str, message: str
) -> None:
    with pytest.raises(fetch_raw_data.FetchError) as info:
        fetch_raw_data.fetch(url, tmp_path / "raw")
    assert message in str(info.value)
    assert not (tmp_path / "raw").exists()


def test_a_sha256_mismatch_unpacks_nothing(fetch_raw_data: ModuleType, tmp_path: Path) -> None:
    archive = _archive(tmp_path / "raw.tar.gz", {"movies/a.csv": b"a", "streaming/b.csv": b"b"})
    wrong = f"{archive.as_uri()}#sha256={'f' * 64}"
    with pytest.raises(fetch_raw_data.FetchError) as info:
        fetch_raw_data.fetch(wrong, tmp_path / "raw")
    actual = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert str(info.value) == (
        f"{archive.as_uri()}: sha256 {actual} does not match the expected {'f' * 64}: "
        "the archive changed or was tampered with; nothing was unpacked"
    )
    assert not (tmp_path / "raw").exists()
    # The right sha256, in upper case as some tools print it, is accepted.
    dest = fetch_raw_data.fetch(f"{archive.as_uri()}#sha256={actual.upper()}", tmp_path / "raw")
    assert (dest / "streaming" / "b.csv").read_bytes() == b"b"

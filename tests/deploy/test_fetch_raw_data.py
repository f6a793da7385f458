"""scripts/fetch_raw_data.py: the raw-data archive that image builds bake in (Railway)."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_raw_data.py"


@pytest.fixture(scope="module")
def fetch_raw_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_raw_data", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fetch_raw_data"] = module
    spec.loader.exec_module(module)
    return module


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
    dest = fetch_raw_data.fetch(archive.as_uri(), tmp_path / "data" / "raw")
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


def test_bad_url_is_one_clear_line(fetch_raw_data: ModuleType, tmp_path: Path) -> None:
    assert fetch_raw_data.main(["ftp://example.org/raw.tar.gz", str(tmp_path / "raw")]) == 1
    missing = (tmp_path / "missing.tar.gz").as_uri()
    with pytest.raises(fetch_raw_data.FetchError, match="cannot download file://"):
        fetch_raw_data.fetch(missing, tmp_path / "raw")

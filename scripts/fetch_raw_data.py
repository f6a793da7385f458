"""Fetch the raw data as a .tar.gz from a URL and unpack it into a folder holding movies/ and streaming/.

Used by the image builds that bake the processed data in (Railway): ``python fetch_raw_data.py URL DEST``.
The archive may hold ``movies/`` and ``streaming/`` at its top or inside one top folder. Only regular
files and folders are unpacked (tarfile's ``data`` filter: no links, devices or paths outside DEST).
"""

from __future__ import annotations

import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

EDITIONS = ("movies", "streaming")


class FetchError(Exception):
    """The URL or the archive is not usable: one clear line."""


def raw_root(folder: Path) -> Path:
    """The folder under ``folder`` (itself or its single subfolder) that holds movies/ and streaming/."""
    candidates = [folder, *sorted(path for path in folder.iterdir() if path.is_dir())]
    for candidate in candidates:
        if all((candidate / name).is_dir() for name in EDITIONS):
            return candidate
    raise FetchError(
        "the archive holds no movies/ and streaming/ folders (at its top or in one folder)"
    )


def unpack(archive: Path, dest: Path) -> Path:
    """Unpack ``archive`` into ``dest`` (created, must be empty or absent); return ``dest``."""
    if dest.exists() and any(dest.iterdir()):
        raise FetchError(f"{dest} is not empty")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        try:
            with tarfile.open(archive, mode="r:*") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise FetchError(f"cannot unpack {archive.name}: {exc}") from exc
        root = raw_root(Path(tmp))
        dest.mkdir(parents=True, exist_ok=True)
        for name in EDITIONS:
            shutil.move(str(root / name), dest / name)
    return dest


def download(url: str, target: Path, timeout: float = 60.0) -> Path:
    """Save ``url`` (http, https or file) to ``target``."""
    if not url.startswith(("http://", "https://", "file://")):
        raise FetchError(f"RAW_DATA_URL must be an http(s) or file URL, not {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise FetchError(f"cannot download {url}: {exc}") from exc
    return target


def fetch(url: str, dest: Path) -> Path:
    """Download the archive at ``url`` and unpack it into ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = download(url, Path(tmp) / "raw.tar.gz")
        return unpack(archive, dest)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: fetch_raw_data.py URL DEST", file=sys.stderr)
        return 2
    try:
        dest = fetch(argv[0], Path(argv[1]))
    except FetchError as exc:
        print(f"fetch_raw_data: error: {exc}", file=sys.stderr)
        return 1
    print(f"fetch_raw_data: raw data unpacked into {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

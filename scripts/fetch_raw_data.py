"""Fetch the raw data as a .tar.gz from a URL and unpack it into a folder holding movies/ and streaming/.

Used by the image builds that bake the processed data in (Railway): ``python fetch_raw_data.py URL DEST``.
The URL must be ``https://``, or carry the archive's sha256 as a fragment, ``...tar.gz#sha256=<64 hex>``,
which is then checked before anything is unpacked (required for ``http://`` and ``file://``, optional
for ``https://``). The archive may hold ``movies/`` and ``streaming/`` at its top or inside one top
folder. Only regular files and folders are unpacked (tarfile's ``data`` filter: no links, devices or
paths outside DEST).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

EDITIONS = ("movies", "streaming")
SHA256_FRAGMENT = re.compile(r"^sha256=([0-9a-fA-F]{64})$")


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


def check_url(url: str) -> tuple[str, str | None]:
    """The URL to download (fragment removed) and the expected sha256 (lower case), or FetchError.

    https is accepted as it is (TLS authenticates the server); http and file only with a sha256.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http", "file"):
        raise FetchError(f"RAW_DATA_URL must be an https, http or file URL, not {url!r}")
    expected = None
    if parts.fragment:
        match = SHA256_FRAGMENT.match(parts.fragment)
        if match is None:
            raise FetchError(
                f"RAW_DATA_URL fragment {parts.fragment!r} is not sha256=<64 hex digits>"
            )
        expected = match.group(1).lower()
    if parts.scheme != "https" and expected is None:
        raise FetchError(
            f"RAW_DATA_URL {url!r} is not https: add the archive's sha256 to verify it, "
            "as ...#sha256=<64 hex digits> (sha256sum prints it)"
        )
    return urllib.parse.urlunsplit(parts._replace(fragment="")), expected


def download(url: str, target: Path, timeout: float = 60.0) -> str:
    """Save ``url`` to ``target``; return the hex sha256 of what was saved."""
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        raise FetchError(f"cannot download {url}: {exc}") from exc
    return digest.hexdigest()


def fetch(url: str, dest: Path) -> Path:
    """Download the archive at ``url``, check its sha256 when one is given, unpack it into ``dest``."""
    source, expected = check_url(url)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "raw.tar.gz"
        actual = download(source, archive)
        if expected is not None and actual != expected:
            raise FetchError(
                f"{source}: sha256 {actual} does not match the expected {expected}: "
                "the archive changed or was tampered with; nothing was unpacked"
            )
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

"""Raw input files: find them (plain or ``.gz``), check their header, read their rows, hash them."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Credits cells hold whole cast lists; the csv module's default field limit (128 KiB) is too small.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_HASH_CHUNK = 1 << 20


class InputError(Exception):
    """A user's mistake in the raw data (missing folder or file, missing columns, unreadable file).

    The message is one line naming the file and what is wrong; the CLI prints it without a traceback.
    """


@dataclass(frozen=True)
class InputFile:
    """One raw input: its role (e.g. ``credits``), location, content hash and size."""

    role: str
    path: Path
    sha256: str
    bytes: int

    def as_manifest(self) -> dict[str, str | int]:
        return {
            "role": self.role,
            "name": self.path.name,
            "path": str(self.path),
            "sha256": self.sha256,
            "bytes": self.bytes,
        }


def text_or_none(value: str) -> str | None:
    """A raw cell trimmed, in its original spelling; None when blank."""
    return value.strip() or None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes as stored, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def require_dir(path: Path, what: str) -> Path:
    """``path`` if it is a folder, else an :class:`InputError` naming it."""
    if not path.is_dir():
        raise InputError(f"{path}: {what} folder not found (set DATA_DIR or --data-dir)")
    return path


def find_file(folder: Path, stems: Sequence[str], *, required: bool = True) -> Path | None:
    """The first of ``<stem>.csv`` / ``<stem>.csv.gz`` that exists in ``folder``, in ``stems`` order."""
    for stem in stems:
        for name in (f"{stem}.csv", f"{stem}.csv.gz"):
            candidate = folder / name
            if candidate.is_file():
                return candidate
    if required:
        names = " or ".join(f"{stem}.csv[.gz]" for stem in stems)
        raise InputError(f"{folder}: missing input file {names}")
    return None


def require_file(folder: Path, stems: Sequence[str]) -> Path:
    """Like :func:`find_file`, for a file that must exist."""
    path = find_file(folder, stems)
    if path is None:  # pragma: no cover - find_file raises first
        raise InputError(f"{folder}: missing input file {stems[0]}.csv[.gz]")
    return path


def describe(role: str, path: Path) -> InputFile:
    """Hash and size of one input file."""
    try:
        return InputFile(role=role, path=path, sha256=sha256_of(path), bytes=path.stat().st_size)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _open_text(path: Path) -> io.TextIOBase:
    try:
        if path.name.endswith(".gz"):
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        return path.open("r", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


class CsvReader:
    """Rows of one raw CSV as lists of strings, with the header checked against required columns.

    Uses the csv module with ``newline=''``, so CRLF and U+2028 inside quoted fields stay inside
    their field. Decoding and gzip errors surface as :class:`InputError` naming the file.
    """

    def __init__(self, path: Path, required: Sequence[str], *, check: bool = True) -> None:
        """``required``: the columns the header must hold, named too when the file is empty. With
        ``check`` false they are only named, not checked (a caller that only looks for a first row)."""
        self.path = path
        self._handle = _open_text(path)
        self._reader = csv.reader(self._handle)
        try:
            header = next(self._reader, None)
        except Exception as exc:
            self._handle.close()
            raise read_error(path, exc) from exc
        if header is None:
            self._handle.close()
            raise InputError(
                f"{path}: file is empty (expected a header with {', '.join(required)})"
            )
        self.header = [name.strip().lstrip("\ufeff") for name in header]
        missing = [name for name in required if name not in self.header] if check else []
        if missing:
            self._handle.close()
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        self.index = {name: i for i, name in enumerate(self.header)}

    def close(self) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[list[str]]:
        try:
            yield from self._reader
        except (csv.Error, UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
            raise read_error(self.path, exc) from exc
        finally:
            self._handle.close()


def read_error(path: Path, exc: BaseException) -> InputError:
    """The one-line InputError for a file that cannot be decoded or parsed."""
    if isinstance(exc, UnicodeDecodeError):
        return InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    if isinstance(exc, gzip.BadGzipFile | EOFError | zlib.error):
        return InputError(f"{path}: unreadable gzip file ({exc or 'truncated'})")
    return InputError(f"{path}: unreadable CSV ({exc})")

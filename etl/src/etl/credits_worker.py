"""The credits worker: :func:`etl.credits.read_credits` in a child process, both sides of it.

:class:`CreditsWorker` (parent side) starts ``python -m etl.credits_worker`` so that a 190 MB
credits file is parsed on a second CPU while the parent reads the movies file; :func:`main` (child
side) parses it and hands the result back. Like :mod:`etl.credits`, this module imports nothing
heavy, so the child starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cinemateca_common.logs import configure
from etl.credits import Credits, read_credits
from etl.progress import Progress
from etl.raw import InputError

_INPUT_ERROR = 3  # the worker's exit status for an InputError; its message is on stderr
log = logging.getLogger("etl.credits_worker")  # by name: run as __main__ in the child


class CreditsWorker:
    """:func:`read_credits` in a child Python process; :meth:`result` waits for it.

    The child logs its progress to the same stdout, writes its result as a pickle to a private
    temporary file, and reports an :class:`InputError` as exit status 3 with the message on stderr,
    which :meth:`result` raises again in the parent.
    """

    def __init__(self, path: Path, top: int, progress: Progress) -> None:
        handle, name = tempfile.mkstemp(prefix="etl-credits-", suffix=".pickle")
        os.close(handle)
        self._out = Path(name)
        command = [
            sys.executable,
            "-m",
            "etl.credits_worker",
            str(path),
            str(self._out),
            "--top",
            str(top),
            "--edition",
            progress.edition,
            "--started",
            repr(progress.started),  # perf_counter is system-wide: elapsed times line up
            "--log-level",
            str(logging.getLogger().getEffectiveLevel()),
        ]
        self._process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)

    def result(self, fixes: Counter[str]) -> Credits:
        """The child's credits; its counted fixes are added to ``fixes``."""
        _, err = self._process.communicate()
        if self._process.returncode == _INPUT_ERROR:
            raise InputError(err.strip())
        if self._process.returncode != 0:
            raise RuntimeError(f"credits worker failed (exit {self._process.returncode}): {err}")
        with self._out.open("rb") as handle:
            credits, counted = pickle.load(handle)  # written by our own child just now
        fixes.update(counted)
        return dict(credits)

    def close(self) -> None:
        """Stop the child if it still runs (the parent failed first) and remove the result file."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._out.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the worker process (``python -m etl.credits_worker``)."""
    parser = argparse.ArgumentParser(prog="python -m etl.credits_worker")
    parser.add_argument("path", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--edition", default="movies")
    parser.add_argument("--started", type=float)
    parser.add_argument("--log-level", type=int, default=logging.INFO)
    args = parser.parse_args(argv)
    configure(args.log_level)
    progress = Progress(args.edition, log)
    if args.started is not None:
        progress.started = args.started
    fixes: Counter[str] = Counter()
    try:
        credits = read_credits(args.path, args.top, progress, fixes)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return _INPUT_ERROR
    with args.out.open("wb") as handle:
        pickle.dump((credits, dict(fixes)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())

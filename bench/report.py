"""What the benchmarks share in reporting: percentiles, PASS/FAIL, table headings, the results file,
and the memory of a process tree."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import psutil

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100), interpolated linearly between the two nearest ranks.

    numpy's default definition: ``percentile([1, 2, 3, 4], 50) == 2.5``.
    """
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_heading(header: str) -> None:
    """The header line of a fixed-width table, and a rule as wide."""
    print(header)
    print("-" * len(header))


def write_results(name: str, figures: dict[str, Any], folder: Path = RESULTS) -> Path:
    """``bench/results/<name>.json``: the figures of the last run, for the README and later runs."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return path


def tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants right now (0 for any that just exited)."""
    total = 0
    try:
        family = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            total += member.memory_info().rss
    return total

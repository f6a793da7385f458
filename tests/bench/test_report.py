"""The benchmarks' shared reporting helpers."""

from __future__ import annotations

import json
from pathlib import Path

from bench import report


def test_percentile_interpolates_between_the_nearest_ranks() -> None:
    assert report.percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert report.percentile([1.0, 2.0, 3.0, 4.0], 0) == 1.0
    assert report.percentile([1.0, 2.0, 3.0, 4.0], 100) == 4.0
    assert report.percentile([float(i) for i in range(101)], 99) == 99.0


def test_verdict() -> None:
    assert (report.verdict(True), report.verdict(False)) == ("PASS", "FAIL")


def test_write_results(tmp_path: Path) -> None:
    path = report.write_results("demo", {"ratio": 2.5, "passed": True}, tmp_path / "results")
    assert path == tmp_path / "results" / "demo.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"ratio": 2.5, "passed": True}

"""bench.recommender's own machinery: which parts run, and how a child's peak memory is measured."""

from __future__ import annotations

import pytest

from bench.recommender.__main__ import _parts, run_child

# A child that starts two grandchildren holding 200 MB each at the same time, then waits for them.
TWO_GRANDCHILDREN = """
import subprocess, sys
hold = "import time; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
kids = [subprocess.Popen([sys.executable, "-c", hold]) for _ in range(2)]
print(sum(k.wait() for k in kids))
"""


def test_parts_selection() -> None:
    assert _parts(None, skip_train=False) == ["read", "train", "serve", "dense"]
    assert _parts(None, skip_train=True) == ["read", "serve", "dense"]
    assert _parts("serve, read", skip_train=False) == ["read", "serve"]
    assert _parts("train", skip_train=True) == []
    with pytest.raises(SystemExit, match=r"unknown part\(s\) fast; valid: read, train"):
        _parts("read,fast", skip_train=False)


def test_peak_rss_counts_the_whole_process_tree() -> None:
    run = run_child(["-c", TWO_GRANDCHILDREN])

    assert run.stdout.strip() == "0"
    # Each grandchild alone peaks near 200 MB (what ru_maxrss sees); together they hold 400 MB.
    assert run.peak_rss_mb > 380
    assert run.wall_s > 1.5


def test_failed_child_stops_the_benchmark_with_its_output() -> None:
    with pytest.raises(SystemExit, match=r"failed \(3\):\nboom"):
        run_child(["-c", "import sys; print('boom'); sys.exit(3)"])

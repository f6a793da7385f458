"""The two contract commands install uv first when it is missing (as .ci/run does)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("target", "command"),
    [("run", "uv run --frozen python scripts/run_stack.py"), ("test", "uv run --frozen pytest")],
)
def test_run_and_test_install_uv_before_using_it(target: str, command: str) -> None:
    # `make -n` prints the recipes without running them, prerequisites first.
    result = subprocess.run(
        ["make", "-n", target], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    out = result.stdout
    install = out.index("python3 -m pip install --quiet --user uv")
    assert out.index("command -v uv") < install < out.index(command)


def test_ci_installs_chromium_when_missing() -> None:
    script = (REPO_ROOT / ".ci" / "run").read_text()
    assert "if [ ! -x /usr/bin/chromium ]; then" in script
    assert "apt-get install -y -qq chromium" in script
    assert script.index("apt-get install -y -qq chromium") < script.rindex("\nmake test")

"""Fixtures of the deployment tests: the supervisor module (scripts/ is not a package) and free ports."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.support import processes

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_run_stack() -> ModuleType:
    """Import scripts/run_stack.py by path, registered under its module name."""
    if "run_stack" in sys.modules:
        return sys.modules["run_stack"]
    spec = importlib.util.spec_from_file_location(
        "run_stack", REPO_ROOT / "scripts" / "run_stack.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_stack"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_stack() -> ModuleType:
    """The local-stack supervisor module."""
    return load_run_stack()


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A function returning a TCP port on 127.0.0.1 that nothing listens on right now."""
    return processes.free_port

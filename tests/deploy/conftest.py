"""Fixtures and facts of the deployment tests: the scripts/ modules (scripts/ is not a package), the
services' ports, the YAML files (compose, Prometheus, Grafana) as read once."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
# The long-running services and the port each listens on (in its container, and in ``make run``).
SERVICES = {"query": 8001, "recommender": 8002, "gateway": 8000}


@cache
def read_yaml(path: str) -> dict[str, Any]:
    """The YAML file at ``path`` (relative to the repository), parsed once per session; do not mutate."""
    data: dict[str, Any] = yaml.safe_load((REPO_ROOT / path).read_text())
    return data


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` by path (scripts/ is not a package), registered under ``name``."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_stack() -> ModuleType:
    """The local-stack supervisor module."""
    return load_script("run_stack")

"""A service's failed start, as a test sees it: the exception and the lines logged at ERROR."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cinemateca_common.contract import StepNotRunError


def failed_start(app: FastAPI, logger: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Start ``app``, which must fail with StepNotRunError; the messages ``logger`` logged at ERROR."""
    with (
        caplog.at_level(logging.ERROR, logger=logger),
        pytest.raises(StepNotRunError),
        TestClient(app),
    ):
        pass  # pragma: no cover - the lifespan fails before the body runs
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]

"""Logging setup: stdlib logging to stdout, configured once per process by the app factory or CLI."""

from __future__ import annotations

import logging
import sys

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str | int = "INFO") -> None:
    """Send every logger's records to stdout in one format; idempotent."""
    root = logging.getLogger()
    root.setLevel(level)
    if not any(getattr(h, "_cinemateca", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._cinemateca = True  # type: ignore[attr-defined]
        root.addHandler(handler)

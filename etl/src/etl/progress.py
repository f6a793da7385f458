"""Progress lines for long ETL steps: what is happening, how far, and the elapsed seconds."""

from __future__ import annotations

import logging
import time

from cinemateca_common.contract import Edition


class Progress:
    """Logs ``<edition>: <step> ... (<elapsed> s)`` lines; ``tick`` logs at most every ``every`` rows."""

    def __init__(self, edition: Edition, logger: logging.Logger, every: int = 10_000) -> None:
        self.edition = edition
        self.log = logger
        self.every = every
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def step(self, message: str) -> None:
        self.log.info("%s: %s (%.1f s)", self.edition, message, self.elapsed)

    def tick(self, what: str, rows: int) -> None:
        if rows % self.every == 0:
            self.log.info("%s: %s: %s rows (%.1f s)", self.edition, what, f"{rows:,}", self.elapsed)

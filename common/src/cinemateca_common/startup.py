"""One startup-failure behaviour for the services: a missing input is one clear ERROR line.

Starlette reports a failed lifespan startup with the formatted traceback, which the server logs; for
an expected failure (a file an earlier step writes is missing) the one ERROR line says everything, so
the traceback is dropped. Other failures keep theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class StartupGuard:
    """Wraps a lifespan's loading: an expected error is logged as ``cannot start: ...`` and re-raised,
    and the server's report of the failed startup then carries no traceback."""

    def __init__(self, logger: logging.Logger, *expected: type[Exception]) -> None:
        self._logger = logger
        self._expected = expected
        self.failed = False

    @contextmanager
    def loading(self) -> Iterator[None]:
        try:
            yield
        except self._expected as exc:
            self._logger.error("cannot start: %s", exc)
            self.failed = True
            raise

    def install(self, app: Starlette) -> None:
        app.add_middleware(QuietStartupFailure, guard=self)


class QuietStartupFailure:
    """ASGI middleware: a startup failure the guard already logged is reported without a traceback."""

    def __init__(self, app: ASGIApp, guard: StartupGuard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_short(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and self.guard.failed:
                message = {"type": "lifespan.startup.failed", "message": ""}
            await send(message)

        await self.app(scope, receive, send_short)

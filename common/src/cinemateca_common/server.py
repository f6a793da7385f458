"""The HTTP/1.1 protocol the services are served with: uvicorn's h11 protocol plus a header time limit.

Served as ``uvicorn ... --http cinemateca_common.server:BoundedH11Protocol
--h11-max-incomplete-event-size N``: h11 bounds the bytes of a request line and headers (uvicorn's
default, httptools, buffers them without limit), and this class bounds the time to receive them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import cache

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_ENV = "HTTP_HEADER_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0

log = logging.getLogger(__name__)


@cache
def header_timeout() -> float:
    """Seconds a client has to send a request line and its headers (env ``HTTP_HEADER_TIMEOUT``)."""
    raw = os.environ.get(HEADER_TIMEOUT_ENV, "")
    if not raw:
        return DEFAULT_HEADER_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{HEADER_TIMEOUT_ENV}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise ValueError(f"{HEADER_TIMEOUT_ENV}={raw!r} must be a positive number of seconds")
    return value


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol that closes a connection whose request headers take too long.

    The clock starts when the connection opens, and again with the first byte of each further request
    on a kept-alive connection; it stops once the request line and every header have arrived. Without
    it a client trickling header bytes (below the size bound) holds a connection and its buffer for as
    long as it likes. An idle kept-alive connection is closed by uvicorn's ``--timeout-keep-alive``.
    """

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            self._cancel_header_timer()  # closed, or the request's headers are complete
        else:
            self._arm_header_timer()  # bytes of a request whose headers are still incomplete

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(header_timeout(), self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        # DEBUG: a client can cause this at will, so it must not be able to flood the log.
        log.debug(
            "closing a connection from %s: no complete request headers within %g s",
            self.client,
            header_timeout(),
        )
        self.transport.close()

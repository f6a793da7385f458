"""The HTTP/1.1 protocols the services are served with: uvicorn's, with request heads bounded in size and time.

Served as ``uvicorn ... --http cinemateca_common.server:BoundedHttpToolsProtocol
--h11-max-incomplete-event-size N``. uvicorn's httptools protocol (its fast default) buffers a request
line and headers without any limit, and neither of its protocols limits the time a client takes to send
them: a client trickling header bytes holds its connection and buffer for as long as it likes. These
subclasses close a connection whose request head is larger than N bytes (431) or not complete within
``HTTP_HEADER_TIMEOUT`` seconds. ``BoundedH11Protocol`` is the same on the pure-Python h11 parser (about
half the throughput; for a platform without httptools).
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import cache

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_ENV = "HTTP_HEADER_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_MAX_HEAD_BYTES = 32 * 1024

log = logging.getLogger(__name__)

_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 32\r\n"
    b"connection: close\r\n\r\n"
    b"Request header fields too large."
)


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


class _HeaderClock:
    """The header timer shared by both protocols: runs from the connection's opening, and from the
    first byte of each further request on a kept-alive connection, until the request head is complete.
    An idle kept-alive connection is closed by uvicorn's ``--timeout-keep-alive`` instead."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    client: tuple[str, int] | None
    _header_timer: asyncio.TimerHandle | None = None

    # Both hooks reach the uvicorn protocol next in the subclass's MRO (the mixin comes first).
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(header_timeout(), self._head_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _head_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        # DEBUG: a client can cause this at will, so it must not be able to flood the log.
        log.debug(
            "closing the connection of %s: no complete request head within %g s",
            self.client,
            header_timeout(),
        )
        self.transport.close()


class BoundedHttpToolsProtocol(_HeaderClock, HttpToolsProtocol):
    """uvicorn's httptools protocol with the request head bounded in bytes and in time.

    The byte bound is uvicorn's ``--h11-max-incomplete-event-size`` (default 32 kB): bytes received
    while a request head is incomplete are counted, and past the bound the client gets a 431 and the
    connection is closed, so at most one read (256 kB) more than the bound is ever buffered.
    """

    _in_head = False  # the first bytes of a request arrived, its head is not complete yet
    _head_bytes = 0

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            self._cancel_header_timer()
        elif self._in_head:
            self._arm_header_timer()
            self._head_bytes += len(data)
            limit = self.config.h11_max_incomplete_event_size or DEFAULT_MAX_HEAD_BYTES
            if self._head_bytes > limit:
                log.debug(
                    "closing the connection of %s: request head over %d bytes", self.client, limit
                )
                self._cancel_header_timer()
                self.transport.write(_TOO_LARGE)
                self.transport.close()

    def on_message_begin(self) -> None:
        self._in_head = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head, self._head_bytes = False, 0
        self._cancel_header_timer()
        super().on_headers_complete()


class BoundedH11Protocol(_HeaderClock, H11Protocol):
    """uvicorn's h11 protocol with the request head bounded in time (h11 bounds its bytes itself)."""

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            self._cancel_header_timer()  # closed, or the request's head is complete
        else:
            self._arm_header_timer()  # bytes of a request whose head is still incomplete

"""The shared log setup: one handler and format, uvicorn's loggers through it, request ids stamped."""

from __future__ import annotations

import io
import json
import logging

from cinemateca_common.logs import JsonFormatter, LogFormat, TextFormatter, configure, request_id


def ours() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if getattr(h, "_cinemateca", False))


def emitted(logger: str, message: str, fmt: LogFormat = "text", **extra: object) -> str:
    """What the configured handler writes for one record logged inside request ``r-1``."""
    configure("INFO", fmt)
    handler = ours()
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    token = request_id.set("r-1")
    try:
        logging.getLogger(logger).warning(message, extra=extra)
    finally:
        request_id.reset(token)
        handler.setStream(previous)
    return stream.getvalue()


def test_text_lines_end_with_their_fields_and_request_id() -> None:
    line = emitted("app.module", "starting", rows=3)
    assert line.rstrip("\n").endswith("WARNING app.module: starting rows=3 request_id=r-1")
    # The access line's message says method, path, status and duration: not repeated as fields.
    access = emitted("cinemateca.access", "GET /x 200 1.0 ms", status=200, route="/x", path="/x")
    assert access.rstrip("\n").endswith(
        "WARNING cinemateca.access: GET /x 200 1.0 ms route=/x request_id=r-1"
    )
    assert isinstance(ours().formatter, TextFormatter)


def test_json_lines_and_uvicorns_own_loggers() -> None:
    entry = json.loads(emitted("uvicorn.error", "Started server process [1]", "json"))
    assert entry["logger"] == "uvicorn.error"
    assert entry["message"] == "Started server process [1]"
    assert entry["request_id"] == "r-1"
    assert entry["level"] == "WARNING"
    assert logging.getLogger("uvicorn.error").handlers == []
    assert logging.getLogger("uvicorn.access").disabled, "the request middleware writes those"
    assert isinstance(ours().formatter, JsonFormatter)
    configure("INFO", "text")

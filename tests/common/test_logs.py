"""The shared log setup: one handler and format, uvicorn's loggers through it, request ids stamped."""

from __future__ import annotations

import io
import json
import logging

from cinemateca_common.logs import JsonFormatter, TextFormatter, configure, request_id


def ours() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if getattr(h, "_cinemateca", False))


def emitted(fmt: str, logger: str, message: str, **extra: object) -> str:
    """What the configured handler writes for one record logged inside request ``r-1``."""
    configure("INFO", "json" if fmt == "json" else "text")
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
    line = emitted("text", "cinemateca.access", "GET /x 200", status=200, route="/x")
    assert line.rstrip("\n").endswith(
        "WARNING cinemateca.access: GET /x 200 status=200 route=/x request_id=r-1"
    )
    assert isinstance(ours().formatter, TextFormatter)


def test_json_lines_and_uvicorns_own_loggers() -> None:
    entry = json.loads(emitted("json", "uvicorn.error", "Started server process [1]"))
    assert entry["logger"] == "uvicorn.error"
    assert entry["message"] == "Started server process [1]"
    assert entry["request_id"] == "r-1"
    assert entry["level"] == "WARNING"
    assert logging.getLogger("uvicorn.error").handlers == []
    assert logging.getLogger("uvicorn.access").disabled, "the request middleware writes those"
    assert isinstance(ours().formatter, JsonFormatter)
    configure("INFO", "text")

"""Logging setup: stdlib logging to stdout, one format per process (text or JSON), request ids on every line.

``configure()`` is called once per process by the app factory or CLI. Every record emitted while a
request is handled carries that request's id (``request_id``, a context variable set by the services'
request middleware, :mod:`cinemateca_common.web`), including records of uvicorn's own loggers, which
are routed through the same handler. uvicorn's access log is replaced by one structured line per
request from that middleware (logger ``cinemateca.access``).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]

#: The id of the request being handled in this context (None outside requests).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

#: One line per request, written by the request middleware (probes at DEBUG, the rest at INFO).
access_log = logging.getLogger("cinemateca.access")

_TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# uvicorn configures these with handlers of its own before the app factory runs.
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.asgi")
# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is data.
_STANDARD = frozenset(
    {
        *logging.LogRecord("", 0, "", 0, "", (), None).__dict__,
        "message",
        "asctime",
        "request_id",
        "color_message",  # uvicorn's ANSI copy of the message
    }
)


class _RequestIdFilter(logging.Filter):
    """Stamps the current request id on each record as it is emitted (same thread, same context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        return True


# Fields of the access line that its message already shows: a console line does not repeat them.
_IN_ACCESS_MESSAGE = frozenset({"method", "path", "status", "duration_ms"})


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message key=value ... request_id=...`` for people reading a console."""

    def __init__(self) -> None:
        super().__init__(_TEXT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        shown = _IN_ACCESS_MESSAGE if record.name == access_log.name else frozenset()
        extras = [
            f"{k}={v}" for k, v in record.__dict__.items() if k not in _STANDARD and k not in shown
        ]
        rid = getattr(record, "request_id", None)
        if rid is not None:
            extras.append(f"request_id={rid}")
        if not extras:
            return line
        # The traceback (if any) stays last, so the fields land on the message's own line.
        head, sep, rest = line.partition("\n")
        return f"{head} {' '.join(extras)}{sep}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, ``logger``, ``message``, ``request_id``, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid is not None:
            entry["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str | int = "INFO", fmt: LogFormat = "text") -> None:
    """Send every logger's records (uvicorn's too) to stdout in one format; idempotent."""
    root = logging.getLogger()
    root.setLevel(level.upper() if isinstance(level, str) else level)
    handler = next((h for h in root.handlers if getattr(h, "_cinemateca", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stdout)
        handler.addFilter(_RequestIdFilter())
        handler._cinemateca = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    for name in _UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The request middleware writes the access line (with route, duration and request id).
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
    uvicorn_access.disabled = True

"""FastAPI glue shared by the services: domain errors and validation errors in the one error shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cinemateca_common.errors import DomainError

# Input echoed in an error body (``value``, the message quoting it) is cut to about this many
# characters: a 65 kB path must not give a 130 kB answer.
MAX_ECHO = 200


def _cap(text: Any, limit: int) -> Any:
    return text[:limit] + "…" if isinstance(text, str) and len(text) > limit else text


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    detail = {key: _cap(value, MAX_ECHO) for key, value in exc.detail.items()}
    # The message may quote the input and something after it: a little more room.
    detail["message"] = _cap(exc.message, 2 * MAX_ECHO)
    return JSONResponse(status_code=exc.status_code, content={"detail": detail})


class VersionHeader:
    """Names the data or model version that computed each answer in a response header.

    ``version`` reads it from the lifespan state of the request (the data are loaded once, so the
    version of the answer is the one loaded); the gateway keys its cache with it.
    """

    def __init__(
        self, app: ASGIApp, header: str, version: Callable[[Mapping[str, Any]], str]
    ) -> None:
        self.app = app
        self.header = header.lower().encode("latin-1")
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    version = self.version(scope.get("state") or {})
                except (KeyError, AttributeError):  # no lifespan state: nothing was computed
                    version = ""
                if version:
                    headers = [*message.get("headers", []), (self.header, version.encode())]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_version)


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, Any]] = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        errors.append({"loc": loc, "msg": err.get("msg"), "type": err.get("type")})
    names = ", ".join(e["loc"][-1] for e in errors if e["loc"]) or "request"
    content = {"detail": {"message": f"invalid value for {names}", "errors": errors}}
    return JSONResponse(status_code=422, content=jsonable_encoder(content))


def install_error_handlers(app: FastAPI) -> None:
    """Map DomainError subclasses to their status and request validation to the shared 422 shape."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

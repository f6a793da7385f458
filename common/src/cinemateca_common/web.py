"""FastAPI glue shared by the services: domain errors and validation errors in the one error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from cinemateca_common.errors import DomainError


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


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

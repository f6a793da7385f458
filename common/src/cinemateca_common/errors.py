"""Domain errors with one JSON shape: ``{"detail": {"message": ..., **extras}}``.

Library code (statistics, model) raises these without importing FastAPI; each service maps them to
HTTP in one place with :func:`cinemateca_common.web.install_error_handlers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """Base error: an HTTP status, a human message and JSON-serialisable extras."""

    status_code: int = 400

    def __init__(self, message: str, **extras: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extras = extras

    @property
    def detail(self) -> dict[str, Any]:
        return {"message": self.message, **self.extras}


class NotFoundError(DomainError):
    """Nothing matches the request (404); ``suggestions`` lists close names to retry with."""

    status_code = 404

    def __init__(self, message: str, suggestions: Sequence[str] = (), **extras: Any) -> None:
        super().__init__(message, suggestions=list(suggestions), **extras)


class InvalidValueError(DomainError):
    """A parameter outside its closed set of values (422); ``valid_values`` lists them."""

    status_code = 422

    def __init__(
        self,
        message: str,
        *,
        parameter: str,
        value: Any,
        valid_values: Sequence[Any],
        **extras: Any,
    ) -> None:
        super().__init__(
            message, parameter=parameter, value=value, valid_values=list(valid_values), **extras
        )

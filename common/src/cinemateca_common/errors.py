"""Domain errors with one JSON shape: ``{"detail": {"message": ..., **extras}}``.

Library code (statistics, model) raises these without importing FastAPI; each service maps them to
HTTP in one place with :func:`cinemateca_common.web.install_error_handlers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field


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

    @classmethod
    def outside(
        cls, parameter: str, value: Any, what: str, valid_values: Sequence[Any], *, one: str = "uno"
    ) -> InvalidValueError:
        """The error of a value outside a closed set, in the one wording every service uses:
        ``what`` names the set's kind with its article ("un catálogo"), ``one`` agrees with it."""
        return cls(
            f"El parámetro '{parameter}' no admite '{value}': debe ser {what}, {one} de: "
            f"{', '.join(map(str, valid_values))}.",
            parameter=parameter,
            value=value,
            valid_values=valid_values,
        )


class ParameterError(BaseModel):
    """Un parámetro inválido y la frase que lo explica."""

    parameter: str
    value: Any = None
    message: str
    valid_values: list[Any] | None = None


class ErrorDetail(BaseModel):
    """`message` en castellano más los datos que ayudan a corregir la petición."""

    model_config = ConfigDict(extra="allow")

    message: str = Field(description="Qué falló, en castellano.")
    parameter: str | None = Field(default=None, description="El (primer) parámetro inválido.")
    value: Any = Field(default=None, description="El valor recibido.")
    valid_values: list[Any] | None = Field(
        default=None, description="Los valores aceptados, cuando son un conjunto cerrado."
    )
    suggestions: list[str] | None = Field(
        default=None, description="Nombres parecidos para reintentar (404)."
    )
    errors: list[ParameterError] | None = Field(
        default=None, description="Una frase por parámetro inválido (validación)."
    )


class ErrorBody(BaseModel):
    """Forma única de error de la API: `{"detail": {"message": ..., ...}}`."""

    detail: ErrorDetail


VALIDATION_EXAMPLE: Final = {
    "detail": {
        "message": "El parámetro 'por_pagina' debe ser un número entero entre 1 y 50; se recibió "
        "'100'.",
        "parameter": "por_pagina",
        "value": "100",
        "errors": [
            {
                "parameter": "por_pagina",
                "value": "100",
                "message": "El parámetro 'por_pagina' debe ser un número entero entre 1 y 50; se "
                "recibió '100'.",
            }
        ],
    }
}

"""What the OpenAPI docs of the query service show besides the answers: health, error examples."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from cinemateca_common.errors import ErrorBody, InvalidValueError


def example(**body: Any) -> ConfigDict:
    """A model config that shows ``body`` as the model's example in the OpenAPI docs."""
    return ConfigDict(json_schema_extra={"examples": [body]})


def _error(description: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": ErrorBody,
        "description": description,
        "content": {"application/json": {"example": {"detail": detail}}},
    }


def not_found(message: str, suggestions: list[str] | None = None) -> dict[str, Any]:
    """A documented 404 with a real example: the message and up to 5 suggestions."""
    return _error(
        "No existe: `detail.suggestions` propone hasta 5 nombres parecidos.",
        {"message": message, "suggestions": suggestions or []},
    )


def invalid(
    parameter: str, value: str, what: str, valid_values: list[str], *, one: str = "uno"
) -> dict[str, Any]:
    """A documented 422 with a real example of a value outside a closed set (the body the service
    sends: :meth:`InvalidValueError.outside`)."""
    return _error(
        "Valor inválido: `detail.message` lo explica; `detail.valid_values` lista los valores "
        "aceptados.",
        InvalidValueError.outside(parameter, value, what, valid_values, one=one).detail,
    )


COUNTRY_NOT_FOUND = not_found("No hay ningún país llamado 'Narnia'.", ["armenia"])
TITLE_NOT_FOUND = not_found(
    "No hay ningún título con id '999999999' en el catálogo movies; en movies el id es el número "
    "de TMDB, como 862. Use los ids que devuelve /buscar."
)

"""The services' 422 bodies as the tests expect them, written out (not built by the code under test)."""

from __future__ import annotations

from typing import Any


def parse_error(name: str, value: str, expected: str) -> dict[str, Any]:
    """The body of a parameter whose value does not parse: ``expected`` says what it must be."""
    message = f"El parámetro '{name}' debe ser {expected}; se recibió '{value}'."
    return {
        "detail": {
            "message": message,
            "parameter": name,
            "value": value,
            "errors": [{"parameter": name, "value": value, "message": message}],
        }
    }


def invalid_value(what: str, name: str, value: str, valid: list[Any]) -> dict[str, Any]:
    """The body of a value outside a closed set: ``what`` names the set's kind ("un catálogo")."""
    return {
        "detail": {
            "message": f"El parámetro '{name}' no admite '{value}': debe ser {what}, uno de: "
            f"{', '.join(valid)}.",
            "parameter": name,
            "value": value,
            "valid_values": valid,
        }
    }

"""Each route's declared parameters, parsed as the service parses them: what is forwarded and keyed.

The services read parameter names case-sensitively, take the last of duplicated values and validate
each value with pydantic. The gateway must never key two requests together that a service could answer
differently, so it validates with the same pydantic types and constraints, forwards and keys only the
declared parameters (in their canonical form: ``k=+05`` leaves as ``k=5``), ignores unknown ones, and
answers 422 for a duplicated one (except the repeatable lists).
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from pydantic import Field, TypeAdapter, ValidationError

from cinemateca_common.errors import DomainError
from cinemateca_common.text import fold
from cinemateca_common.web import echo

if TYPE_CHECKING:
    from gateway.routes import Route


def no_route(method: str, path: str) -> str:
    """The gateway's 404 message for a path no public route matches (``path`` echoed, capped)."""
    return f"no existe la ruta {method} {echo(path)}: las rutas públicas están en /docs"


class ParamError(DomainError):
    """A declared parameter with an invalid or duplicated value: 422 in the shared error shape.

    The proxy endpoint catches it and answers itself (marked ``x-cache: bypass``), so the app's
    DomainError handler never sees one.
    """

    status_code = 422


class Param:
    """One declared parameter: its name (exact, case-sensitive), pydantic type and constraints.

    ``annotation`` and ``constraints`` are the service's own (``Param("k", int, ge=1, le=50)`` for
    ``k: Annotated[int, Query(ge=1, le=50)]``); for a ``list[...]`` the constraints bound the number of
    values. ``choices`` is a closed set matched folded (``Movies`` is ``movies``), as the services
    match it; ``fold`` says whether the cache key may fold the value (the service compares it folded).
    """

    __slots__ = ("_adapter", "annotation", "choices", "constraints", "fold", "name", "repeated")

    def __init__(
        self,
        name: str,
        annotation: Any = str,
        *,
        choices: tuple[str, ...] = (),
        fold: bool = True,
        **constraints: Any,
    ) -> None:
        self.name = name
        self.annotation = annotation
        self.choices = choices
        self.fold = fold and not choices  # a choice is keyed by its canonical (folded) name
        self.constraints = constraints
        # A ``list[...]`` (or ``list[...] | None``): every value is kept, in order.
        union = get_origin(annotation) is types.UnionType
        self.repeated = any(
            get_origin(kind) is list for kind in (get_args(annotation) if union else (annotation,))
        )
        plain = annotation is str and not constraints
        self._adapter: TypeAdapter[Any] | None = (
            None if plain else TypeAdapter(Annotated[annotation, Field(**constraints)])
        )

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.annotation!r}, {self.constraints!r})"

    def json_schema(self) -> dict[str, Any]:
        """The parameter's schema, for the OpenAPI document of a service never seen."""
        if self.choices:
            return {"type": "string", "examples": list(self.choices)}
        if self._adapter is None:
            return {"type": "string"}
        return self._adapter.json_schema()

    def _scalar_type(self) -> Any:
        kinds = get_args(self.annotation) if get_origin(self.annotation) else (self.annotation,)
        return next((kind for kind in kinds if kind is not type(None)), str)

    def expected(self) -> str:
        """What a valid value is, in Spanish, for error messages."""
        kind = self._scalar_type()
        limits = self.constraints
        if self.choices:
            return "uno de: " + ", ".join(self.choices)
        if kind is int:
            text = "un número entero"
        elif kind is float:
            text = "un número" + (" finito" if limits.get("allow_inf_nan") is False else "")
        else:
            text = "un texto"
            if "pattern" in limits:
                text += " con algún carácter visible"
        low, high = (
            limits.get("ge", limits.get("min_length")),
            limits.get("le", limits.get("max_length")),
        )
        unit = " caracteres" if kind is str else ""
        if low is not None and high is not None:
            text += (
                f" entre {low} y {high}{unit}" if kind is not str else f" de {low} a {high}{unit}"
            )
        elif low is not None:
            text += f" mayor o igual que {low}" if kind is not str else f" de al menos {low}{unit}"
        elif high is not None:
            text += f" menor o igual que {high}" if kind is not str else f" de hasta {high}{unit}"
        return text

    def _invalid(self, value: str) -> ParamError:
        if self.choices:
            return self._rejected(value=echo(value), valid_values=list(self.choices))
        return self._rejected(value=echo(value))

    def _rejected(self, **shown: Any) -> ParamError:
        """The one wording of an invalid value, a single one or a list's (``shown`` echoes it)."""
        return ParamError(
            f"valor inválido para {self.name}: se esperaba {self.expected()}",
            parameter=self.name,
            **shown,
        )

    def parse(self, raw: str) -> str:
        """The canonical spelling of one value (what is forwarded), or :class:`ParamError`."""
        if self.choices:
            folded = fold(raw)
            if folded not in self.choices:
                raise self._invalid(raw)
            return folded
        if self._adapter is None:
            return raw
        try:
            value = self._adapter.validate_python(raw)
        except ValidationError:
            raise self._invalid(raw) from None
        return repr(value) if isinstance(value, float) else str(value)

    def parse_all(self, values: list[str]) -> list[str]:
        """Every value of the parameter, canonical; several only for a repeatable one."""
        if not self.repeated:
            if len(values) > 1:
                raise ParamError(
                    f"el parámetro {self.name} aparece {len(values)} veces: indíquelo una sola vez",
                    parameter=self.name,
                    values=[echo(value) for value in values[:5]],
                )
            return [self.parse(values[0])]
        if self._adapter is not None:
            try:
                self._adapter.validate_python(values)
            except ValidationError:
                raise self._rejected(values=[echo(value) for value in values[:5]]) from None
        return values

    def key(self, canonical: str, exact: bool) -> str:
        """The value as the cache key holds it: folded when the service compares it folded."""
        return fold(canonical) if self.fold and not exact else canonical


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """A request reduced to its declared parameters, canonical: forwarded as is, keyed from it."""

    route: Route
    path_values: tuple[str, ...]
    query: tuple[tuple[str, str], ...]

    def key_parts(self, *, exact: bool) -> str:
        """The request's canonical form for the cache key (JSON): folded unless ``exact``."""
        by_name = self.route.query_by_name
        path = [
            p.key(v, exact) for p, v in zip(self.route.path_params, self.path_values, strict=True)
        ]
        grouped: dict[str, list[str]] = {}
        for name, value in self.query:
            grouped.setdefault(name, []).append(by_name[name].key(value, exact))
        query: list[Any] = sorted(grouped.items())
        if self.route.unordered is not None:
            first, second = self.route.unordered
            lefts = grouped.get(first, [])
            rights = grouped.get(second)
            if rights is None or len(rights) == len(lefts):
                # A set of (titulo, anio) pairs: sorted together, so the order does not matter.
                pairs = sorted(zip(lefts, rights or [""] * len(lefts), strict=True))
                rest = [(n, v) for n, v in query if n not in (first, second)]
                query = [[first, second, rights is not None, pairs], *rest]
            # Otherwise (lists of different lengths) the service decides: the key keeps the order.
        return json.dumps([path, query], ensure_ascii=False, separators=(",", ":"))


def parse(
    route: Route, path_values: Mapping[str, str], query: Iterable[tuple[str, str]]
) -> ParsedRequest:
    """Validate the declared parameters of ``route``; unknown query parameters are dropped."""
    path = tuple(param.parse(path_values[param.name]) for param in route.path_params)
    grouped: dict[str, list[str]] = {}
    for name, value in query:
        if name in route.query_by_name:
            grouped.setdefault(name, []).append(value)
    forwarded: list[tuple[str, str]] = []
    for param in route.query:
        if param.name in grouped:
            forwarded.extend((param.name, value) for value in param.parse_all(grouped[param.name]))
    return ParsedRequest(route, path, tuple(forwarded))

"""The route table: every public path template, the service behind it, and its declared parameters.

Each template is written exactly as the service routes it (``{name:path}`` where the service lets a
value contain "/"), and each parameter with the service's own type and constraints;
tests/gateway/test_route_table.py builds both services' apps and checks that they agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from cinemateca_common.contract import EDITIONS
from cinemateca_common.metrics import template_path
from cinemateca_common.web import DATA_VERSION_HEADER, MODEL_VERSION_HEADER
from gateway.params import Param

Service = Literal["query", "recommender"]
SERVICES: Final[tuple[Service, ...]] = ("query", "recommender")

# The response header in which each service names the data or model version that computed the answer.
VERSION_HEADERS: Final[dict[Service, str]] = {
    "query": DATA_VERSION_HEADER.lower(),
    "recommender": MODEL_VERSION_HEADER.lower(),
}

_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")


@dataclass(frozen=True)
class Route:
    """One public GET route, served by ``service`` under the same path.

    ``template`` is the service's routing template (``/retorno/{pelicula:path}``); ``path`` declares
    the path parameters that are not plain strings (the others default to ``Param(name)``); ``query``
    the query parameters, the only ones forwarded. ``unordered`` names two parallel repeatable
    parameters whose pairs form a set (their order does not change the answer, nor the cache key).
    """

    template: str
    service: Service
    summary: str
    path: Sequence[Param] = ()
    query: Sequence[Param] = ()
    unordered: tuple[str, str] | None = None
    media_type: str = "application/json"
    path_params: tuple[Param, ...] = field(init=False)
    query_by_name: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        declared = {param.name: param for param in self.path}
        names = [match.group(1) for match in _PARAM.finditer(self.template)]
        if set(declared) - set(names):
            raise ValueError(f"{self.template}: no path parameter {set(declared) - set(names)}")
        object.__setattr__(
            self, "path_params", tuple(declared.get(name, Param(name)) for name in names)
        )
        object.__setattr__(self, "query_by_name", {param.name: param for param in self.query})
        for converter in (match.group(2) for match in _PARAM.finditer(self.template)):
            if converter not in (None, "path"):
                raise ValueError(f"{self.template}: only the 'path' converter is used")

    @property
    def path_format(self) -> str:
        """The documented template (as in OpenAPI and the metrics' route label): converters removed."""
        return template_path(self.template)

    @property
    def slash_params(self) -> tuple[str, ...]:
        """Path parameters whose value may contain "/" (routed with ``:path``)."""
        return tuple(m.group(1) for m in _PARAM.finditer(self.template) if m.group(2) == "path")

    def fill(self, values: Sequence[str]) -> str:
        """The template with ``values`` (already encoded) in place of its parameters, in order."""
        by_name = dict(zip((p.name for p in self.path_params), values, strict=True))
        return _PARAM.sub(lambda match: by_name[match.group(1)], self.template)


# The parameters the services declare, with the services' own types and constraints.
YEAR = Param("year", int)
SCORE = Param("scored", float, allow_inf_nan=False)
EDITION = Param("catalogo", choices=EDITIONS)
TITULO = Param("titulo", max_length=300, pattern=r"\S")
K = Param("k", int, ge=1, le=50)

ROUTES: Final[tuple[Route, ...]] = (
    Route("/peliculas_mes/{mes}", "query", "Películas estrenadas en un mes"),
    Route("/peliculas_dia/{dia}", "query", "Películas estrenadas en un día de la semana"),
    Route("/franquicia/{franquicia:path}", "query", "Cantidad y ganancia de una franquicia"),
    Route("/peliculas_pais/{pais}", "query", "Películas producidas en un país"),
    Route("/productoras/{productora:path}", "query", "Ganancia y cantidad de una productora"),
    Route(
        "/retorno/{pelicula:path}",
        "query",
        "Inversión, ganancia y retorno",
        query=[Param("anio", int | None)],
    ),
    Route(
        "/get_max_duration/{year}/{platform}/{duration_type}",
        "query",
        "Película de mayor duración",
        path=[YEAR],
    ),
    Route(
        "/get_score_count/{platform}/{scored}/{year}",
        "query",
        "Películas con puntaje mayor a un valor",
        path=[SCORE, YEAR],
    ),
    Route("/get_count_platform/{platform}", "query", "Películas de una plataforma"),
    Route("/get_actor/{platform}/{year}", "query", "Actor con más títulos", path=[YEAR]),
    Route(
        "/prod_per_county/{tipo}/{pais}/{anio}",
        "query",
        "Títulos por tipo, país y año",
        path=[Param("anio", int)],
    ),
    Route("/get_contents/{rating}", "query", "Títulos con una clasificación"),
    Route(
        "/buscar",
        "query",
        "Búsqueda de títulos por nombre",
        query=[
            # The answer echoes q as typed: keyed exactly, never folded.
            Param("q", min_length=1, max_length=200, fold=False),
            EDITION,
            Param("pagina", int, ge=1),
            Param("por_pagina", int, ge=1, le=50),
        ],
    ),
    Route(
        "/titulos/{id}",
        "query",
        "Ficha de un título",
        path=[Param("id", fold=False)],
        query=[EDITION],
    ),
    Route(
        "/informes/{catalogo}",
        "query",
        "Informe exploratorio (HTML) de un catálogo",
        path=[EDITION],
        media_type="text/html",
    ),
    Route(
        "/get_recommendation/{titulo:path}",
        "recommender",
        "Cinco títulos similares",
        path=[TITULO],
        query=[EDITION],
    ),
    Route(
        "/recomendaciones/{titulo:path}",
        "recommender",
        "Recomendaciones con puntaje y motivo",
        path=[TITULO],
        query=[K, Param("anio", int | None, ge=1800, le=2100), EDITION],
    ),
    Route(
        "/titulos/{id}/recomendaciones",
        "recommender",
        "Recomendaciones para un título por su id",
        path=[Param("id", fold=False)],
        query=[K, EDITION],
    ),
    Route(
        "/recomendaciones",
        "recommender",
        "Recomendaciones para un conjunto de títulos",
        query=[
            Param("titulos", list[str] | None),
            Param("anios", list[str] | None, fold=False),
            K,
            EDITION,
        ],
        unordered=("titulos", "anios"),
    ),
)

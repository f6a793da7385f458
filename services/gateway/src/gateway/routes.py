"""The route table: every public path template, the downstream service behind it, its query parameters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Service = Literal["query", "recommender"]
SERVICES: Final[tuple[Service, ...]] = ("query", "recommender")

_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True, slots=True)
class Route:
    """One public GET route, served by ``service`` under the same path.

    ``template`` is the documented path (as in OpenAPI). ``slash_param`` names its last parameter when
    that one may contain "/" (titles such as "Face/Off"), as the service's own ``{name:path}`` does.
    """

    template: str
    service: Service
    query_params: tuple[str, ...] = ()
    summary: str = ""
    slash_param: str | None = None

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.template))

    @property
    def routing_template(self) -> str:
        """The template as routed: ``slash_param`` matches the rest of the path, slashes included."""
        if self.slash_param is None:
            return self.template
        return self.template.replace(f"{{{self.slash_param}}}", f"{{{self.slash_param}:path}}")

    def fill(self, values: Sequence[str]) -> str:
        """The template with ``values`` (already encoded) in place of its parameters, in order."""
        by_name = dict(zip(self.path_params, values, strict=True))
        return _PARAM.sub(lambda match: by_name[match.group(1)], self.template)

    def __post_init__(self) -> None:
        if self.slash_param is not None and not self.template.endswith(f"/{{{self.slash_param}}}"):
            raise ValueError(f"{self.template}: only the last parameter can contain '/'")


ROUTES: Final[tuple[Route, ...]] = (
    Route("/peliculas_mes/{mes}", "query", summary="Películas estrenadas en un mes"),
    Route("/peliculas_dia/{dia}", "query", summary="Películas estrenadas en un día de la semana"),
    Route("/franquicia/{franquicia}", "query", summary="Cantidad y ganancia de una franquicia"),
    Route("/peliculas_pais/{pais}", "query", summary="Películas producidas en un país"),
    Route("/productoras/{productora}", "query", summary="Ganancia y cantidad de una productora"),
    Route("/retorno/{pelicula}", "query", ("anio",), summary="Inversión, ganancia y retorno"),
    Route(
        "/get_max_duration/{year}/{platform}/{duration_type}",
        "query",
        summary="Película de mayor duración",
    ),
    Route(
        "/get_score_count/{platform}/{scored}/{year}",
        "query",
        summary="Películas con puntaje mayor a un valor",
    ),
    Route("/get_count_platform/{platform}", "query", summary="Películas de una plataforma"),
    Route("/get_actor/{platform}/{year}", "query", summary="Actor con más títulos"),
    Route("/prod_per_county/{tipo}/{pais}/{anio}", "query", summary="Títulos por tipo, país y año"),
    Route("/get_contents/{rating}", "query", summary="Títulos con una clasificación"),
    Route(
        "/get_recommendation/{titulo}",
        "recommender",
        ("catalogo",),
        summary="Cinco títulos similares",
        slash_param="titulo",
    ),
    Route(
        "/recomendaciones/{titulo}",
        "recommender",
        ("k", "anio", "catalogo"),
        summary="Recomendaciones con puntaje y motivo",
        slash_param="titulo",
    ),
    # Routes of the web page's API (issue 9), forwarded as they are; the gw-hardening branch owns
    # the full table.
    Route(
        "/buscar",
        "query",
        ("q", "catalogo", "pagina", "por_pagina"),
        summary="Buscar títulos",
    ),
    Route("/titulos/{id}", "query", ("catalogo",), summary="Ficha de un título"),
    Route(
        "/titulos/{id}/recomendaciones",
        "recommender",
        ("k", "catalogo"),
        summary="Recomendaciones para un título por su id",
    ),
    Route(
        "/recomendaciones",
        "recommender",
        ("titulos", "anios", "k", "catalogo"),
        summary="Recomendaciones para un conjunto de títulos",
    ),
    Route("/informes/{catalogo}", "query", summary="Informe exploratorio (HTML) de una edición"),
)

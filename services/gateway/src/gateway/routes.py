"""The route table: every public path template, the downstream service behind it, its query parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Service = Literal["query", "recommender"]
SERVICES: Final[tuple[Service, ...]] = ("query", "recommender")

_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True, slots=True)
class Route:
    """One public GET route, served by ``service`` under the same path."""

    template: str
    service: Service
    query_params: tuple[str, ...] = ()
    summary: str = ""

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.template))


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
    ),
    Route(
        "/recomendaciones/{titulo}",
        "recommender",
        ("k", "anio", "catalogo"),
        summary="Recomendaciones con puntaje y motivo",
    ),
)

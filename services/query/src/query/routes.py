"""HTTP routes of both editions: validate, call a statistic, return its answer."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from cinemateca_common.contract import EDITIONS, PLATFORMS, Edition
from cinemateca_common.errors import NotFoundError
from cinemateca_common.health import ServiceHealth
from cinemateca_common.web import EDITION_KIND, edition_parameter
from query.data import QueryData
from query.movies import (
    MONTH_KIND,
    MONTHS,
    WEEKDAY_KIND,
    WEEKDAYS,
    CollectionSummary,
    CompanySummary,
    CountryCount,
    FilmReturn,
    MonthCount,
    MovieStats,
    WeekdayCount,
)
from query.schemas import (
    COUNTRY_NOT_FOUND,
    TITLE_NOT_FOUND,
    invalid,
    not_found,
)
from query.streaming import (
    DURATION_TYPES,
    PLATFORM_KIND,
    RATING_KIND,
    TIPO_KIND,
    TIPOS,
    CountryYearCount,
    StreamingStats,
)
from query.titles import Busqueda, DetalleTitulo


def get_data(request: Request) -> QueryData:
    """The data loaded by the lifespan (lifespan state, not a global)."""
    data = request.state.query_data
    if not isinstance(data, QueryData):  # pragma: no cover - the lifespan always sets it
        raise TypeError("query data not loaded")
    return data


DataDep = Annotated[QueryData, Depends(get_data)]


def get_movies(data: DataDep) -> MovieStats:
    return data.movies


def get_streaming(data: DataDep) -> StreamingStats:
    return data.streaming


MoviesDep = Annotated[MovieStats, Depends(get_movies)]
StreamingDep = Annotated[StreamingStats, Depends(get_streaming)]

get_edition = edition_parameter(
    "Catálogo: `movies` (por defecto) o `streaming`; no distingue mayúsculas ni tildes."
)
EditionDep = Annotated[Edition, Depends(get_edition)]

INVALID_EDITION = invalid("catalogo", "tv", EDITION_KIND, list(EDITIONS))
INVALID_PLATFORM = invalid("platform", "hbo", PLATFORM_KIND, list(PLATFORMS))


def _ok(example: Any) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": example}}}}


# Closed sets, declared as OpenAPI enums so clients (and the page) can offer them; the service still
# accepts any case and accent spelling of each value (the schema only documents the canonical one).
# The ratings of the real catalogues (sorted), as the service lists them in its 422.
RATINGS: Final = (
    "13+",
    "16",
    "16+",
    "18+",
    "7+",
    "ages_16_",
    "ages_18_",
    "all",
    "all_ages",
    "g",
    "nc-17",
    "not rated",
    "not_rate",
    "nr",
    "pg",
    "pg-13",
    "r",
    "tv-14",
    "tv-g",
    "tv-ma",
    "tv-nr",
    "tv-pg",
    "tv-y",
    "tv-y7",
    "tv-y7-fv",
    "unrated",
    "ur",
)


def one_of(values: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The OpenAPI ``enum`` of a closed set (documentation only: validation stays case-insensitive)."""
    return {"enum": list(values)}


PLATFORM = Path(
    description="Plataforma: amazon, disney, hulu o netflix (sin distinguir mayúsculas).",
    examples=["netflix"],
    json_schema_extra=one_of(PLATFORMS),
)
YEAR = Path(description="Año de estreno (número entero).", examples=[2020])

service = APIRouter(tags=["servicio"])
titles = APIRouter(tags=["títulos"])
movies = APIRouter(tags=["películas"])
streaming = APIRouter(tags=["plataformas de streaming"])


@service.get(
    "/health",
    response_model=ServiceHealth,
    response_model_exclude_none=True,
    summary="Estado del servicio",
)
def health(data: DataDep) -> ServiceHealth:
    """Responde 200 cuando los datos de ambas ediciones están cargados; informa su versión."""
    return ServiceHealth(
        status="ok",
        service="query",
        version=data.version,
        data_versions=data.data_versions,
        rows=data.rows,
    )


# -- titles of both editions ----------------------------------------------------------------------


@titles.get(
    "/buscar",
    responses={422: INVALID_EDITION},
    summary="Buscar títulos",
)
def buscar(
    data: DataDep,
    edition: EditionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Texto a buscar: el título o parte de él; sin distinguir mayúsculas, tildes "
            "ni signos, y tolera errores de tipeo.",
            examples=["toy sto"],
        ),
    ],
    pagina: Annotated[
        int, Query(ge=1, description="Página de resultados (desde 1).", examples=[1])
    ] = 1,
    por_pagina: Annotated[
        int, Query(ge=1, le=50, description="Resultados por página (1 a 50).", examples=[20])
    ] = 20,
) -> Busqueda:
    """Títulos que coinciden con `q`, los mejores primero: coincidencia exacta (el artículo inicial
    es opcional), luego los que empiezan por `q`, luego los que contienen todas sus palabras y por
    último los parecidos (errores de tipeo); a igualdad, el más popular primero. Los `id` sirven
    para `/titulos/{id}` y `/titulos/{id}/recomendaciones`."""
    return data.titles[edition].search(q, pagina, por_pagina)


@titles.get(
    "/titulos/{id}",
    responses={404: TITLE_NOT_FOUND, 422: INVALID_EDITION},
    summary="Un título por su id",
)
def titulo(
    data: DataDep,
    edition: EditionDep,
    title_id: Annotated[
        str,
        Path(
            alias="id",
            description="Id del título en su catálogo: el número de TMDB en movies (862), la "
            "inicial de la plataforma y el show_id en streaming (ns1).",
            examples=["862"],
        ),
    ],
) -> DetalleTitulo:
    """Los datos de un título para mostrar: título, año, descripción, géneros, dirección, reparto
    principal, plataforma y tipo (streaming), colección, duración y puntuación."""
    return data.titles[edition].details(title_id)


@titles.get(
    "/informes/{catalogo}",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {"example": "<!doctype html>..."}}},
        404: not_found(
            "El informe del catálogo movies no existe todavía: lo escribe `uv run etl movies`."
        ),
        422: INVALID_EDITION,
    },
    summary="Informe exploratorio (EDA) de un catálogo",
)
def informe(
    data: DataDep,
    value: Annotated[
        str,
        Path(
            alias="catalogo", description="Catálogo: `movies` o `streaming`.", examples=["movies"]
        ),
    ],
) -> HTMLResponse:
    """El informe HTML del análisis exploratorio que escribió el ETL para ese catálogo (solo
    lectura)."""
    edition = get_edition(value)
    path = data.reports[edition]
    try:
        html = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(
            f"El informe del catálogo {edition} no existe todavía: lo escribe `uv run etl "
            f"{edition}`."
        ) from None
    return HTMLResponse(html)


# -- movies edition --------------------------------------------------------------------------------


@movies.get(
    "/peliculas_mes/{mes}",
    responses={
        422: invalid("mes", "enro", MONTH_KIND, list(MONTHS)),
    },
    summary="Películas estrenadas en un mes",
)
def peliculas_mes(
    stats: MoviesDep,
    mes: Annotated[
        str,
        Path(
            description="Mes en castellano (enero … diciembre; también «setiembre»), sin distinguir "
            "mayúsculas ni tildes.",
            examples=["enero"],
            json_schema_extra=one_of(MONTHS),
        ),
    ],
) -> MonthCount:
    """Cantidad de películas estrenadas en ese mes del calendario, sumando todos los años."""
    return stats.movies_in_month(mes)


@movies.get(
    "/peliculas_dia/{dia}",
    responses={
        422: invalid("dia", "viernez", WEEKDAY_KIND, list(WEEKDAYS)),
    },
    summary="Películas estrenadas en un día de la semana",
)
def peliculas_dia(
    stats: MoviesDep,
    dia: Annotated[
        str,
        Path(
            description="Día en castellano (lunes … domingo), con o sin tildes: «miércoles» o "
            "«miercoles», «sábado» o «sabado».",
            examples=["viernes"],
            json_schema_extra=one_of(WEEKDAYS),
        ),
    ],
) -> WeekdayCount:
    """Cantidad de películas estrenadas en ese día de la semana, en cualquier fecha."""
    return stats.movies_on_weekday(dia)


@movies.get(
    "/franquicia/{franquicia:path}",
    responses={
        404: not_found("No hay ninguna franquicia llamada 'Toy Stori'.", ["Toy Story Collection"])
    },
    summary="Cantidad y ganancias de una franquicia",
)
def franquicia(
    stats: MoviesDep,
    franquicia: Annotated[
        str,
        Path(
            description="Nombre de la colección, sin distinguir mayúsculas ni tildes; si no existe "
            "se prueba con « Collection» al final («Toy Story» encuentra «Toy Story Collection»).",
            examples=["Toy Story"],
        ),
    ],
) -> CollectionSummary:
    """Películas de la colección, ganancia total (suma de revenue) y ganancia promedio por película."""
    return stats.collection(franquicia)


@movies.get(
    "/peliculas_pais/{pais}",
    responses={404: COUNTRY_NOT_FOUND},
    summary="Películas producidas en un país",
)
def peliculas_pais(
    stats: MoviesDep,
    pais: Annotated[
        str,
        Path(
            description="País: nombre en inglés o castellano («Francia», «Estados Unidos») o código "
            "ISO 3166-1 alfa-2 («FR», «us»). Coincidencia exacta con un elemento de la lista de "
            "países de producción, nunca por subcadena («Niger» no cuenta «Nigeria»).",
            examples=["Francia"],
        ),
    ],
) -> CountryCount:
    """Cantidad de películas cuya lista de países de producción contiene ese país. Un país conocido
    sin películas da 0; un texto que no nombra ningún país da 404 con sugerencias."""
    return stats.movies_from_country(pais)


@movies.get(
    "/productoras/{productora:path}",
    responses={
        404: not_found(
            "No hay ninguna productora llamada 'Pixar Studios'.",
            ["Pixar Animation Studios", "Rich Animation Studios", "Shanghai Film Studios"],
        )
    },
    summary="Ganancia total y cantidad de películas de una productora",
)
def productoras(
    stats: MoviesDep,
    productora: Annotated[
        str,
        Path(
            description="Nombre de la productora, sin distinguir mayúsculas ni tildes; coincidencia "
            "exacta con un elemento de la lista de productoras.",
            examples=["Pixar Animation Studios"],
        ),
    ],
) -> CompanySummary:
    """Cantidad de películas de la productora y suma de su recaudación (revenue)."""
    return stats.company(productora)


@movies.get(
    "/retorno/{pelicula:path}",
    responses={
        404: not_found(
            "No hay ninguna película titulada 'Titanik'.",
            ["Titanic", "Titanica", "The Chambermaid on the Titanic", "Raise the Titanic"],
        )
    },
    summary="Inversión, ganancia y retorno de una película",
)
def retorno(
    stats: MoviesDep,
    pelicula: Annotated[
        str,
        Path(
            description="Título, sin distinguir mayúsculas ni tildes.",
            examples=["Titanic"],
        ),
    ],
    anio: Annotated[
        int | None,
        Query(
            description="Año de estreno, para elegir entre películas con el mismo título.",
            examples=[1997],
        ),
    ] = None,
) -> FilmReturn:
    """Presupuesto, recaudación (también bajo «ganacia», la clave de la especificación original),
    retorno (revenue / budget) y año. Si varias películas comparten el título, `anio` elige una;
    sin él se responde la más popular y las demás aparecen en `otras`."""
    return stats.film_return(pelicula, anio)


# -- streaming edition -----------------------------------------------------------------------------


@streaming.get(
    "/get_max_duration/{year}/{platform}/{duration_type}",
    responses={
        **_ok("unbreakable kimmy schmidt: kimmy vs. the reverend"),
        404: not_found(
            "Ninguna película de netflix estrenada en 2020 tiene su duración en temporadas (las "
            "películas se miden en minutos)."
        ),
        422: INVALID_PLATFORM,
    },
    summary="Película de mayor duración",
)
def get_max_duration(
    stats: StreamingDep,
    year: Annotated[int, YEAR],
    platform: Annotated[str, PLATFORM],
    duration_type: Annotated[
        str,
        Path(
            description="Tipo de duración: «min» o «season».",
            examples=["min"],
            json_schema_extra=one_of(DURATION_TYPES),
        ),
    ],
) -> str:
    """Título de la película (tipo movie) con mayor duración de ese año de estreno, plataforma y tipo
    de duración; empates por orden alfabético. Sin películas que cumplan: 404."""
    return stats.longest_movie(year, platform, duration_type)


@streaming.get(
    "/get_score_count/{platform}/{scored}/{year}",
    responses={**_ok(401), 422: INVALID_PLATFORM},
    summary="Películas con puntaje promedio mayor que un umbral",
)
def get_score_count(
    stats: StreamingDep,
    platform: Annotated[str, PLATFORM],
    scored: Annotated[
        float,
        Path(
            description="Umbral de puntaje promedio (número, estrictamente mayor).",
            examples=[3.5],
            allow_inf_nan=False,
        ),
    ],
    year: Annotated[int, YEAR],
) -> int:
    """Cantidad de películas de la plataforma estrenadas ese año cuyo puntaje promedio de usuarios
    es estrictamente mayor que `scored` (0 si ese año no tiene películas)."""
    return stats.movies_scored_above(platform, scored, year)


@streaming.get(
    "/get_count_platform/{platform}",
    responses={**_ok(6131), 422: INVALID_PLATFORM},
    summary="Cantidad de películas de una plataforma",
)
def get_count_platform(stats: StreamingDep, platform: Annotated[str, PLATFORM]) -> int:
    """Cantidad de títulos de tipo película (movie) de la plataforma."""
    return stats.movies_on_platform(platform)


@streaming.get(
    "/get_actor/{platform}/{year}",
    responses={
        **_ok("blossom chukwujekwu"),
        404: not_found("hulu no tiene datos de reparto: su catálogo no lista actores."),
        422: INVALID_PLATFORM,
    },
    summary="Actor con más apariciones",
)
def get_actor(
    stats: StreamingDep, platform: Annotated[str, PLATFORM], year: Annotated[int, YEAR]
) -> str:
    """Actor que aparece en más títulos (de cualquier tipo) de la plataforma estrenados ese año;
    empates por orden alfabético. Hulu no tiene datos de reparto: 404 que lo dice."""
    return stats.top_actor(platform, year)


@streaming.get(
    "/prod_per_county/{tipo}/{pais}/{anio}",
    responses={
        404: COUNTRY_NOT_FOUND,
        422: invalid("tipo", "documental", TIPO_KIND, list(TIPOS)),
    },
    summary="Títulos de un tipo producidos en un país en un año",
)
def prod_per_county(
    stats: StreamingDep,
    tipo: Annotated[
        str,
        Path(
            description="Tipo: «movie»/«pelicula» o «tv show»/«serie».",
            examples=["movie"],
            json_schema_extra=one_of(TIPOS),
        ),
    ],
    pais: Annotated[
        str,
        Path(
            description="País: nombre en inglés o castellano o código ISO alfa-2; coincidencia "
            "exacta con un elemento de la lista de países.",
            examples=["Argentina"],
        ),
    ],
    anio: Annotated[int, Path(description="Año de estreno.", examples=[2018])],
) -> CountryYearCount:
    """Cantidad de títulos de ese tipo, de todas las plataformas, estrenados ese año, cuya lista de
    países contiene ese país (la clave `pelicula` guarda la cantidad, como en la especificación)."""
    return stats.titles_from_country(tipo, pais, anio)


@streaming.get(
    "/get_contents/{rating}",
    responses={
        **_ok(3675),
        422: invalid("rating", "x", RATING_KIND, list(RATINGS), one="una"),
    },
    summary="Cantidad de títulos con una clasificación",
)
def get_contents(
    stats: StreamingDep,
    rating: Annotated[
        str,
        Path(
            description="Clasificación por edades («tv-ma», «PG-13», …), sin distinguir mayúsculas.",
            examples=["tv-ma"],
            json_schema_extra=one_of(RATINGS),
        ),
    ],
) -> int:
    """Cantidad de títulos de cualquier tipo y plataforma con esa clasificación. Una clasificación
    que no aparece en los catálogos da 422 con las válidas."""
    return stats.titles_rated(rating)

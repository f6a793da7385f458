"""Response bodies of the query service, with the examples shown in the OpenAPI docs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cinemateca_common.errors import ErrorBody


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class Health(BaseModel):
    """Estado del servicio y versión de los datos servidos."""

    model_config = _example(
        status="ok",
        service="query",
        version="383892eb75ba+eb78501e65d3",
        data_versions={"movies": "383892eb75ba", "streaming": "eb78501e65d3"},
        rows={"movies": 4995, "streaming": 22998},
    )

    status: str
    service: str
    version: str = Field(description="Cambia cada vez que cambian los datos de alguna edición.")
    data_versions: dict[str, str]
    rows: dict[str, int]


class MonthCount(BaseModel):
    """Películas estrenadas en un mes."""

    model_config = _example(mes="enero", cantidad=427)

    mes: str = Field(description="Nombre del mes en castellano.")
    cantidad: int = Field(description="Películas estrenadas ese mes, en cualquier año.")


class WeekdayCount(BaseModel):
    """Películas estrenadas en un día de la semana."""

    model_config = _example(dia="viernes", cantidad=2324)

    dia: str = Field(description="Nombre del día en castellano.")
    cantidad: int = Field(description="Películas estrenadas ese día de la semana.")


class CollectionSummary(BaseModel):
    """Películas y ganancias de una franquicia."""

    model_config = _example(
        franquicia="Toy Story Collection",
        cantidad=2,
        ganancia_total=870920902.0,
        ganancia_promedio=435460451.0,
    )

    franquicia: str = Field(description="Nombre de la colección tal como está almacenado.")
    cantidad: int
    ganancia_total: float = Field(description="Suma de la recaudación (revenue) en USD.")
    ganancia_promedio: float = Field(description="ganancia_total / cantidad.")


class CountryCount(BaseModel):
    """Películas producidas en un país."""

    model_config = _example(pais="France", cantidad=375)

    pais: str = Field(description="Nombre del país tal como está almacenado.")
    cantidad: int


class CompanySummary(BaseModel):
    """Películas y ganancias de una productora."""

    model_config = _example(
        productora="Pixar Animation Studios", ganancia_total=1796996017.0, cantidad=4
    )

    productora: str = Field(description="Nombre de la productora tal como está almacenado.")
    ganancia_total: float = Field(description="Suma de la recaudación (revenue) en USD.")
    cantidad: int


class OtherTitle(BaseModel):
    """Otra película con el mismo título."""

    titulo: str
    anio: int


class FilmReturn(BaseModel):
    """Inversión, ganancia y retorno de una película."""

    model_config = _example(
        pelicula="Titanic",
        inversion=200000000.0,
        ganancia=1845034188.0,
        ganacia=1845034188.0,
        retorno=9.22517094,
        anio=1997,
        otras=[{"titulo": "Titanic", "anio": 1953}],
    )

    pelicula: str = Field(description="Título tal como está almacenado.")
    inversion: float = Field(description="Presupuesto (budget) en USD; 0 si se desconoce.")
    ganancia: float = Field(description="Recaudación (revenue) en USD; 0 si se desconoce.")
    ganacia: float = Field(
        description="Igual que `ganancia`: la grafía de la especificación original."
    )
    retorno: float = Field(description="revenue / budget; 0 cuando el presupuesto es 0.")
    anio: int = Field(description="Año de estreno.")
    otras: list[OtherTitle] = Field(
        description="Otras películas con el mismo título (la más popular primero)."
    )


class CountryYearCount(BaseModel):
    """Títulos de un tipo producidos en un país y estrenados en un año."""

    model_config = _example(pais="argentina", anio=2018, pelicula=15)

    pais: str = Field(description="Nombre del país tal como está almacenado (en minúsculas).")
    anio: int
    pelicula: int = Field(description="Cantidad de títulos (nombre de clave de la especificación).")


class ResultadoBusqueda(BaseModel):
    """Un título encontrado."""

    id: int | str = Field(
        description="Id en el catálogo: número de TMDB en movies, inicial de la plataforma y "
        "show_id en streaming (el mismo que devuelven las recomendaciones)."
    )
    titulo: str = Field(description="Título con su grafía original.")
    anio: int | None = Field(description="Año de estreno.")
    plataforma: str | None = Field(description="amazon, disney, hulu o netflix; null en movies.")
    tipo: str | None = Field(description="«movie» o «tv show»; null en movies.")


class Busqueda(BaseModel):
    """Una página de resultados de búsqueda."""

    model_config = _example(
        q="toy sto",
        catalogo="movies",
        pagina=1,
        por_pagina=20,
        total_resultados=2,
        total_paginas=1,
        resultados=[
            {"id": 862, "titulo": "Toy Story", "anio": 1995, "plataforma": None, "tipo": None},
            {"id": 863, "titulo": "Toy Story 2", "anio": 1999, "plataforma": None, "tipo": None},
        ],
    )

    q: str = Field(description="El texto buscado, tal como llegó.")
    catalogo: str
    pagina: int
    por_pagina: int
    total_resultados: int = Field(description="Coincidencias en todas las páginas.")
    total_paginas: int
    resultados: list[ResultadoBusqueda] = Field(description="Los mejores primero.")


class DetalleTitulo(BaseModel):
    """Los datos de un título para mostrar a una persona."""

    model_config = _example(
        id=862,
        catalogo="movies",
        titulo="Toy Story",
        titulo_original=None,
        anio=1995,
        descripcion="Led by Woody, Andy's toys live happily in his room until Andy's birthday "
        "brings Buzz Lightyear onto the scene. ...",
        generos=["Animation", "Comedy", "Family"],
        directores=["John Lasseter"],
        reparto=["Tom Hanks", "Tim Allen", "Don Rickles"],
        plataforma=None,
        tipo=None,
        coleccion="Toy Story Collection",
        duracion="81 min",
        puntuacion=7.7,
    )

    id: int | str
    catalogo: str
    titulo: str = Field(description="Título con su grafía original.")
    titulo_original: str | None = Field(
        description="Título original cuando los datos procesados lo guardan (hoy ninguna edición)."
    )
    anio: int | None
    descripcion: str | None = Field(description="Sinopsis (overview) o descripción.")
    generos: list[str] = Field(description="Géneros (movies) o categorías (listed_in, streaming).")
    directores: list[str]
    reparto: list[str] = Field(description="Reparto principal, por orden de aparición (hasta 10).")
    plataforma: str | None = Field(description="Solo streaming.")
    tipo: str | None = Field(description="Solo streaming: «movie» o «tv show».")
    coleccion: str | None = Field(description="Solo movies: la franquicia.")
    duracion: str | None = Field(description="«81 min» o «2 temporadas».")
    puntuacion: float | None = Field(
        description="movies: vote_average (0 a 10); streaming: puntaje medio de usuarios (0 a 5)."
    )


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


def invalid(parameter: str, value: str, what: str, valid_values: list[str]) -> dict[str, Any]:
    """A documented 422 with a real example of a value outside a closed set."""
    return _error(
        "Valor inválido: `detail.message` lo explica; `detail.valid_values` lista los valores "
        "aceptados.",
        {
            "message": f"El parámetro '{parameter}' no admite '{value}': debe ser {what}, uno de: "
            f"{', '.join(valid_values)}.",
            "parameter": parameter,
            "value": value,
            "valid_values": valid_values,
        },
    )


PLATFORMS = ["amazon", "disney", "hulu", "netflix"]
INVALID_PLATFORM = invalid("platform", "hbo", "una plataforma", PLATFORMS)
INVALID_CATALOGO = invalid("catalogo", "tv", "un catálogo", ["movies", "streaming"])
COUNTRY_NOT_FOUND = not_found("No hay ningún país llamado 'Narnia'.", ["armenia"])
TITLE_NOT_FOUND = not_found(
    "No hay ningún título con id '999999999' en el catálogo movies; en movies el id es el número "
    "de TMDB, como 862. Use los ids que devuelve /buscar."
)

"""Response bodies of the query service, with the examples shown in the OpenAPI docs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class ErrorBody(BaseModel):
    """Forma única de error: `detail.message` más `suggestions` (404) o `valid_values` (422)."""

    detail: dict[str, Any]


NOT_FOUND = {
    "model": ErrorBody,
    "description": "No existe: `detail.suggestions` propone hasta 5 nombres parecidos.",
    "content": {
        "application/json": {
            "example": {
                "detail": {
                    "message": "no collection named 'Toy Stori'",
                    "suggestions": ["Toy Story Collection"],
                }
            }
        }
    },
}

INVALID = {
    "model": ErrorBody,
    "description": "Valor inválido: `detail.valid_values` lista los valores aceptados.",
    "content": {
        "application/json": {
            "example": {
                "detail": {
                    "message": "unknown platform 'hbo'",
                    "parameter": "platform",
                    "value": "hbo",
                    "valid_values": ["amazon", "disney", "hulu", "netflix"],
                }
            }
        }
    },
}

"""Wire schemas of the recommender API (field names in Spanish, as the public contract)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Titulo(BaseModel):
    """Un título del catálogo."""

    titulo: str = Field(description="Título tal como figura en el catálogo.")
    anio: int | None = Field(description="Año de estreno (null si se desconoce).")
    id: int | str = Field(
        description="Identificador en el catálogo (entero en movies, texto en streaming)."
    )


class Recomendacion(Titulo):
    """Un título recomendado, con su puntuación y el motivo."""

    score: float = Field(
        description="Puntuación final: suma ponderada de similitudes por bloque más el prior de calidad."
    )
    razon: str = Field(
        description="Motivo breve en español (misma colección, mismo director, ...)."
    )


class Recomendaciones(BaseModel):
    """Respuesta de /recomendaciones: el título resuelto, los homónimos y las recomendaciones."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "titulo": {"titulo": "Toy Story", "anio": 1995, "id": 862},
                    "catalogo": "movies",
                    "otras": [],
                    "recomendaciones": [
                        {
                            "titulo": "Toy Story 2",
                            "anio": 1999,
                            "id": 863,
                            "score": 2.81,
                            "razon": "misma colección: Toy Story Collection; géneros en común: Animation, Comedy, Family",
                        }
                    ],
                }
            ]
        }
    )

    titulo: Titulo = Field(description="El título usado para recomendar.")
    catalogo: str = Field(description="Catálogo consultado: movies o streaming.")
    otras: list[Titulo] = Field(
        description="Otros títulos con el mismo nombre (usa ?anio= para elegir uno de ellos)."
    )
    recomendaciones: list[Recomendacion] = Field(
        description="Los k títulos más afines, el mejor primero."
    )


class RecomendacionConjunto(Recomendacion):
    """Un título recomendado para un conjunto, con los títulos del conjunto a los que se parece."""

    relacionado_con: list[str] = Field(
        description="Títulos del conjunto de los que es vecino, el vínculo más fuerte primero."
    )


class RecomendacionesConjunto(BaseModel):
    """Respuesta de /recomendaciones para varios títulos."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "catalogo": "movies",
                    "titulos": [
                        {"titulo": "Toy Story", "anio": 1995, "id": 862},
                        {"titulo": "Jumanji", "anio": 1995, "id": 8844},
                    ],
                    "recomendaciones": [
                        {
                            "titulo": "Aladdin",
                            "anio": 1992,
                            "id": 812,
                            "score": 0.52,
                            "razon": "afín a Jumanji, Toy Story; géneros en común: Family",
                            "relacionado_con": ["Jumanji", "Toy Story"],
                        }
                    ],
                }
            ]
        }
    )

    catalogo: str = Field(description="Catálogo consultado: movies o streaming.")
    titulos: list[Titulo] = Field(description="Los títulos del conjunto, ya resueltos.")
    recomendaciones: list[RecomendacionConjunto] = Field(
        description="Los k títulos más afines al conjunto (ninguno de sus títulos), el mejor primero."
    )

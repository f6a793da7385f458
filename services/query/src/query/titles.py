"""One edition's titles for people: search results and one title's details, by catalogue id."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
from pydantic import BaseModel, Field

from cinemateca_common.contract import Edition
from cinemateca_common.errors import NotFoundError
from query.matching import list_cell
from query.schemas import example
from query.search import SearchIndex

MOVIE_DETAIL_COLUMNS: Final = [
    "id",
    "title",
    "overview",
    "popularity",
    "runtime",
    "vote_average",
    "release_year",
    "collection_name",
    "genres",
    "directors",
    "cast",
]
MOVIE_FEATURE_COLUMNS: Final = ["id", "vote_count"]
TITLE_DETAIL_COLUMNS: Final = [
    "id",
    "platform",
    "type",
    "release_year",
    "duration_int",
    "duration_type",
    "score_mean",
    "score_count",
    "title_display",
    "description_display",
    "director_display",
    "cast_display",
    "listed_in_display",
]
TOP_CAST: Final = 10
ID_FORMS: Final[dict[str, str]] = {
    "movies": "en movies el id es el número de TMDB, como 862.",
    "streaming": "en streaming el id es la inicial de la plataforma y el show_id, como ns1.",
}


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

    model_config = example(
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

    model_config = example(
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


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _year(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _seasons(count: int) -> str:
    return f"{count} temporada" if count == 1 else f"{count} temporadas"


def _duration(amount: Any, unit: Any) -> str | None:
    """``"81 min"`` or ``"2 temporadas"``; None when unknown."""
    number = _number(amount)
    if number is None or number <= 0:
        return None
    return f"{int(number)} min" if unit == "min" else _seasons(int(number))


@dataclass(frozen=True)
class _Row:
    """What a search result shows, kept per row so a page is a few list lookups."""

    id: int | str
    titulo: str
    anio: int | None
    plataforma: str | None
    tipo: str | None


class TitleCatalogue:
    """Search and details over one edition, built once from its processed table."""

    def __init__(
        self,
        edition: Edition,
        rows: list[_Row],
        popularity: Sequence[tuple[float, ...]],
        details: Callable[[int], DetalleTitulo],
    ) -> None:
        self.edition = edition
        self._rows = rows
        self._details = details
        self._position = {str(row.id): i for i, row in enumerate(rows)}
        self.index = SearchIndex([row.titulo for row in rows], popularity)

    @classmethod
    def movies(cls, movies: pd.DataFrame, features: pd.DataFrame) -> TitleCatalogue:
        """From ``movies.parquet`` and ``movie_features.parquet`` (ties: popularity, then votes)."""
        votes = dict(zip(features["id"].tolist(), features["vote_count"].tolist(), strict=True))
        ids = [int(i) for i in movies["id"].tolist()]
        rows = [
            _Row(id=i, titulo=str(title), anio=_year(year), plataforma=None, tipo=None)
            for i, title, year in zip(
                ids, movies["title"].tolist(), movies["release_year"].tolist(), strict=True
            )
        ]
        popularity = [
            (float(p), float(votes.get(i, math.nan)))
            for i, p in zip(ids, movies["popularity"].tolist(), strict=True)
        ]
        # Details are read from the frame when asked for: one row per request, no startup cost. Only
        # the columns they show are kept (a copy: a selection would keep the whole table alive;
        # .iloc is positional, so the index does not matter).
        frame = movies[MOVIE_DETAIL_COLUMNS].copy()

        def details(position: int) -> DetalleTitulo:
            record = frame.iloc[position]
            return DetalleTitulo(
                id=ids[position],
                catalogo="movies",
                titulo=rows[position].titulo,
                titulo_original=None,
                anio=rows[position].anio,
                descripcion=_text(record["overview"]),
                generos=list_cell(record["genres"]),
                directores=list_cell(record["directors"]),
                reparto=list_cell(record["cast"])[:TOP_CAST],
                plataforma=None,
                tipo=None,
                coleccion=_text(record["collection_name"]),
                duracion=_duration(record["runtime"], "min"),
                puntuacion=_number(record["vote_average"]),
            )

        return cls("movies", rows, popularity, details)

    @classmethod
    def streaming(cls, titles: pd.DataFrame) -> TitleCatalogue:
        """From ``titles.parquet``, shown in the display copies (ties: rating count, mean rating)."""
        rows = [
            _Row(id=str(i), titulo=str(title), anio=_year(year), plataforma=str(p), tipo=str(t))
            for i, title, year, p, t in zip(
                titles["id"].tolist(),
                titles["title_display"].tolist(),
                titles["release_year"].tolist(),
                titles["platform"].tolist(),
                titles["type"].tolist(),
                strict=True,
            )
        ]
        popularity = [
            (_number(count) or math.nan, _number(mean) or math.nan)
            for count, mean in zip(
                titles["score_count"].tolist(), titles["score_mean"].tolist(), strict=True
            )
        ]
        frame = titles[TITLE_DETAIL_COLUMNS].copy()

        def details(position: int) -> DetalleTitulo:
            record = frame.iloc[position]
            row = rows[position]
            return DetalleTitulo(
                id=row.id,
                catalogo="streaming",
                titulo=row.titulo,
                titulo_original=None,
                anio=row.anio,
                descripcion=_text(record["description_display"]),
                generos=list_cell(record["listed_in_display"]),
                directores=list_cell(record["director_display"]),
                reparto=list_cell(record["cast_display"])[:TOP_CAST],
                plataforma=row.plataforma,
                tipo=row.tipo,
                coleccion=None,
                duracion=_duration(record["duration_int"], record["duration_type"]),
                puntuacion=_number(record["score_mean"]),
            )

        return cls("streaming", rows, popularity, details)

    def __len__(self) -> int:
        return len(self._rows)

    def search_row(self, position: int) -> ResultadoBusqueda:
        """Row ``position`` as a search result shows it."""
        row = self._rows[position]
        return ResultadoBusqueda(
            id=row.id,
            titulo=row.titulo,
            anio=row.anio,
            plataforma=row.plataforma,
            tipo=row.tipo,
        )

    def search(self, query: str, page: int, per_page: int) -> Busqueda:
        """One page of the titles matching ``query``, best first (see :mod:`query.search`)."""
        found = self.index.page(query, page, per_page)
        results = [self.search_row(i) for i in found.indices]
        return Busqueda(
            q=query,
            catalogo=self.edition,
            pagina=page,
            por_pagina=per_page,
            total_resultados=found.total,
            total_paginas=-(-found.total // per_page),
            resultados=results,
        )

    def details(self, title_id: str) -> DetalleTitulo:
        """One title by its catalogue id (``862`` in movies, ``ns1`` in streaming); 404 when unknown."""
        position = self._position.get(title_id.strip().lower())
        if position is None:
            raise NotFoundError(
                f"No hay ningún título con id '{title_id}' en el catálogo {self.edition}; "
                f"{ID_FORMS[self.edition]} Use los ids que devuelve /buscar."
            )
        return self._details(position)

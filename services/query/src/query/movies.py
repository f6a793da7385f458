"""Movies-edition statistics, answered from indexes built once from ``movies.parquet``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from cinemateca_common.errors import NotFoundError
from cinemateca_common.text import fold
from query.countries import CountryResolver
from query.matching import FoldedIndex, Suggester, closed_set, list_cell
from query.schemas import example

MONTHS: Final = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
WEEKDAYS: Final = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")

_MONTH_KEYS: Final = {fold(name): number for number, name in enumerate(MONTHS, start=1)} | {
    "setiembre": 9
}
_WEEKDAY_KEYS: Final = {fold(name): number for number, name in enumerate(WEEKDAYS)}
# How a 422 names each closed set, in the parsers and in the OpenAPI examples alike.
MONTH_KIND: Final = "un mes en castellano"
WEEKDAY_KIND: Final = "un día de la semana en castellano"


class MonthCount(BaseModel):
    """Películas estrenadas en un mes."""

    model_config = example(mes="enero", cantidad=427)

    mes: str = Field(description="Nombre del mes en castellano.")
    cantidad: int = Field(description="Películas estrenadas ese mes, en cualquier año.")


class WeekdayCount(BaseModel):
    """Películas estrenadas en un día de la semana."""

    model_config = example(dia="viernes", cantidad=2324)

    dia: str = Field(description="Nombre del día en castellano.")
    cantidad: int = Field(description="Películas estrenadas ese día de la semana.")


class CollectionSummary(BaseModel):
    """Películas y ganancias de una franquicia."""

    model_config = example(
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

    model_config = example(pais="France", cantidad=375)

    pais: str = Field(description="Nombre del país tal como está almacenado.")
    cantidad: int


class CompanySummary(BaseModel):
    """Películas y ganancias de una productora."""

    model_config = example(
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

    model_config = example(
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


@dataclass
class _Total:
    """Films and revenue of one collection or company, under the name as first stored."""

    name: str
    count: int = 0
    revenue: float = 0.0


@dataclass(frozen=True)
class _Film:
    title: str
    year: int
    budget: float
    revenue: float
    ret: float
    popularity: float
    id: int


def _finite(value: Any) -> float:
    number = float(value) if value is not None else 0.0
    return number if np.isfinite(number) else 0.0


class MovieStats:
    """The six movies-edition statistics. Every answer is a dict lookup built in ``__init__``."""

    def __init__(self, movies: pd.DataFrame) -> None:
        """``movies``: the published table (``movies.parquet`` columns of the processed-data contract)."""
        self.rows = len(movies)
        months = movies["release_month"].to_numpy(dtype=np.int64)
        weekdays = movies["release_weekday"].to_numpy(dtype=np.int64)
        self._month_counts = np.bincount(months, minlength=13).tolist()
        self._weekday_counts = np.bincount(weekdays, minlength=7).tolist()

        revenue = [_finite(v) for v in movies["revenue"].tolist()]
        self._build_collections(movies["collection_name"].tolist(), revenue)
        self._build_companies(movies["production_companies"].tolist(), revenue)
        self._build_countries(
            movies["production_countries"].tolist(), movies["production_country_codes"].tolist()
        )
        self._build_titles(movies, revenue)

    def _build_collections(self, names: Sequence[Any], revenue: Sequence[float]) -> None:
        totals: dict[str, _Total] = {}
        for name, money in zip(names, revenue, strict=True):
            if not isinstance(name, str) or not name.strip():
                continue
            total = totals.setdefault(fold(name), _Total(name))
            total.count += 1
            total.revenue += money
        self._collections = FoldedIndex(totals)
        self._collection_suggester = Suggester(t.name for t in totals.values())

    def _build_companies(self, cells: Sequence[Any], revenue: Sequence[float]) -> None:
        totals: dict[str, _Total] = {}
        for cell, money in zip(cells, revenue, strict=True):
            names: dict[str, str] = {}
            for name in list_cell(cell):
                names.setdefault(fold(name), name)
            for key, name in names.items():
                total = totals.setdefault(key, _Total(name))
                total.count += 1
                total.revenue += money
        self._companies = FoldedIndex(totals)
        self._company_suggester = Suggester(t.name for t in totals.values())

    def _build_countries(self, name_cells: Sequence[Any], code_cells: Sequence[Any]) -> None:
        pairs: list[tuple[str, str]] = []
        per_movie: list[list[tuple[str, str]]] = []
        for names_cell, codes_cell in zip(name_cells, code_cells, strict=True):
            names, codes = list_cell(names_cell), list_cell(codes_cell)
            if len(codes) != len(names):
                codes = [""] * len(names)
            movie_pairs = [(name, code.upper()) for name, code in zip(names, codes, strict=True)]
            per_movie.append(movie_pairs)
            pairs.extend(movie_pairs)
        # The ISO code is the key when the data has one; otherwise the table resolves the name.
        base = CountryResolver(())
        keyed = [(name, code or base.key_of(name)) for name, code in pairs]
        self._countries = CountryResolver(keyed)
        counts: dict[str, int] = {}
        for movie_pairs in per_movie:
            keys = {code or self._countries.key_of(name) for name, code in movie_pairs}
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        self._country_counts = counts

    def _build_titles(self, movies: pd.DataFrame, revenue: Sequence[float]) -> None:
        films: dict[str, list[_Film]] = {}
        for title, year, budget, money, ret, popularity, movie_id in zip(
            movies["title"].tolist(),
            movies["release_year"].tolist(),
            movies["budget"].tolist(),
            revenue,
            movies["return"].tolist(),
            movies["popularity"].tolist(),
            movies["id"].tolist(),
            strict=True,
        ):
            if not isinstance(title, str) or not title.strip():
                continue
            film = _Film(
                title=title,
                year=int(year),
                budget=_finite(budget),
                revenue=money,
                ret=_finite(ret),
                popularity=_finite(popularity),
                id=int(movie_id),
            )
            films.setdefault(fold(title), []).append(film)
        for group in films.values():
            group.sort(key=lambda f: (-f.popularity, f.id))
        self._titles = FoldedIndex(films)
        self._title_suggester = Suggester(group[0].title for group in films.values())

    # -- the statistics -------------------------------------------------------------------------

    def movies_in_month(self, mes: str) -> MonthCount:
        """Movies released in that calendar month, all years (Spanish month name; "setiembre" too)."""
        number = closed_set(
            _MONTH_KEYS,
            mes,
            parameter="mes",
            what=MONTH_KIND,
            valid_values=MONTHS,
        )
        return MonthCount(mes=MONTHS[number - 1], cantidad=int(self._month_counts[number]))

    def movies_on_weekday(self, dia: str) -> WeekdayCount:
        """Movies released on that weekday, all dates (Spanish weekday name, accents optional)."""
        number = closed_set(
            _WEEKDAY_KEYS,
            dia,
            parameter="dia",
            what=WEEKDAY_KIND,
            valid_values=WEEKDAYS,
        )
        return WeekdayCount(dia=WEEKDAYS[number], cantidad=int(self._weekday_counts[number]))

    def collection(self, franquicia: str) -> CollectionSummary:
        """Films of a collection, their total revenue and the mean revenue per film.

        The name matches case/accent-insensitively; when nothing matches, ``name + " Collection"``
        is tried ("Toy Story" finds "Toy Story Collection").
        """
        total = self._collections.get(franquicia) or self._collections.get(
            f"{franquicia} Collection"
        )
        if total is None:
            raise NotFoundError(
                f"No hay ninguna franquicia llamada '{franquicia}'.",
                suggestions=self._collection_suggester.suggest(franquicia),
            )
        return CollectionSummary(
            franquicia=total.name,
            cantidad=total.count,
            ganancia_total=total.revenue,
            ganancia_promedio=total.revenue / total.count,
        )

    def movies_from_country(self, pais: str) -> CountryCount:
        """Movies whose production countries include that country as a whole element.

        Accepts the stored name, an ISO 3166-1 alpha-2 code, or a Spanish or common English name.
        A known country with no movies counts 0; a text that names no country is a 404.
        """
        key = self._countries.resolve(pais)
        if key is None:
            raise NotFoundError(
                f"No hay ningún país llamado '{pais}'.", suggestions=self._countries.suggest(pais)
            )
        return CountryCount(
            pais=self._countries.display(key), cantidad=self._country_counts.get(key, 0)
        )

    def company(self, productora: str) -> CompanySummary:
        """Movies whose production companies include that company (whole element), and their revenue."""
        total = self._companies.get(productora)
        if total is None:
            raise NotFoundError(
                f"No hay ninguna productora llamada '{productora}'.",
                suggestions=self._company_suggester.suggest(productora),
            )
        return CompanySummary(
            productora=total.name, ganancia_total=total.revenue, cantidad=total.count
        )

    def film_return(self, pelicula: str, anio: int | None = None) -> FilmReturn:
        """Budget, revenue, return and year of a film.

        Several films with the title: ``anio`` picks the one released that year, otherwise the most
        popular one is answered; the others are listed under ``otras`` (most popular first).
        """
        films = self._titles.get(pelicula)
        if films is None:
            raise NotFoundError(
                f"No hay ninguna película titulada '{pelicula}'.",
                suggestions=self._title_suggester.suggest(pelicula),
            )
        chosen = films[0]
        if anio is not None:
            of_year = [film for film in films if film.year == anio]
            if not of_year:
                years = sorted({film.year for film in films})
                raise NotFoundError(
                    f"No hay ninguna película titulada '{films[0].title}' estrenada en {anio}; "
                    f"se estrenó en: {', '.join(map(str, years))}.",
                    available_years=years,
                )
            chosen = of_year[0]
        return FilmReturn(
            pelicula=chosen.title,
            inversion=chosen.budget,
            ganancia=chosen.revenue,
            ganacia=chosen.revenue,
            retorno=chosen.ret,
            anio=chosen.year,
            otras=[OtherTitle(titulo=f.title, anio=f.year) for f in films if f is not chosen],
        )

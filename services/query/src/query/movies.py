"""Movies-edition statistics, answered from indexes built once from ``movies.parquet``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypedDict

import numpy as np
import pandas as pd

from cinemateca_common.errors import NotFoundError
from cinemateca_common.text import fold
from query.countries import country_aliases, country_names
from query.matching import FoldedIndex, Suggester, closed_set, list_cell

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


class MonthCount(TypedDict):
    mes: str
    cantidad: int


class WeekdayCount(TypedDict):
    dia: str
    cantidad: int


class CollectionSummary(TypedDict):
    franquicia: str
    cantidad: int
    ganancia_total: float
    ganancia_promedio: float


class CountryCount(TypedDict):
    pais: str
    cantidad: int


class CompanySummary(TypedDict):
    productora: str
    ganancia_total: float
    cantidad: int


class OtherTitle(TypedDict):
    titulo: str
    anio: int


class FilmReturn(TypedDict):
    pelicula: str
    inversion: float
    ganancia: float
    ganacia: float
    retorno: float
    anio: int
    otras: list[OtherTitle]


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


class CountryResolver:
    """Resolves what a user types to a country key: data names, ISO codes, Spanish and English names.

    Keys are ISO 3166-1 alpha-2 codes (upper case) or ``~folded name`` for a country without one.
    Names seen in the data win over the static table, because the counts are keyed by the data.
    """

    def __init__(self, data_names: Iterable[tuple[str, str]]) -> None:
        """``data_names``: (stored name, key) pairs as they occur in the data."""
        self._aliases = country_aliases()
        self._table = country_names()
        self._display: dict[str, str] = {}
        for name, key in data_names:
            self._aliases[fold(name)] = key
            self._display.setdefault(key, name)
        suggestions = list(self._display.values())
        suggestions += [self._table[key].spanish for key in self._display if key in self._table]
        self._suggester = Suggester(suggestions)

    def key_of(self, stored_name: str) -> str:
        """Key of a name as stored in the data (unknown names get ``~folded name``)."""
        return self._aliases.get(fold(stored_name), "~" + fold(stored_name))

    def resolve(self, text: str) -> str | None:
        """The key of a typed country, or None when it names no country at all."""
        return self._aliases.get(fold(text))

    def display(self, key: str, *, lower: bool = False) -> str:
        """The name as stored in the data, else the table's English name."""
        if key in self._display:
            return self._display[key]
        english = self._table[key].english if key in self._table else key.lstrip("~")
        return english.lower() if lower else english

    def suggest(self, text: str) -> list[str]:
        return self._suggester.suggest(text)


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
            what="un mes en castellano",
            valid_values=MONTHS,
        )
        return {"mes": MONTHS[number - 1], "cantidad": int(self._month_counts[number])}

    def movies_on_weekday(self, dia: str) -> WeekdayCount:
        """Movies released on that weekday, all dates (Spanish weekday name, accents optional)."""
        number = closed_set(
            _WEEKDAY_KEYS,
            dia,
            parameter="dia",
            what="un día de la semana en castellano",
            valid_values=WEEKDAYS,
        )
        return {"dia": WEEKDAYS[number], "cantidad": int(self._weekday_counts[number])}

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
        return {
            "franquicia": total.name,
            "cantidad": total.count,
            "ganancia_total": total.revenue,
            "ganancia_promedio": total.revenue / total.count,
        }

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
        return {"pais": self._countries.display(key), "cantidad": self._country_counts.get(key, 0)}

    def company(self, productora: str) -> CompanySummary:
        """Movies whose production companies include that company (whole element), and their revenue."""
        total = self._companies.get(productora)
        if total is None:
            raise NotFoundError(
                f"No hay ninguna productora llamada '{productora}'.",
                suggestions=self._company_suggester.suggest(productora),
            )
        return {"productora": total.name, "ganancia_total": total.revenue, "cantidad": total.count}

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
        return {
            "pelicula": chosen.title,
            "inversion": chosen.budget,
            "ganancia": chosen.revenue,
            "ganacia": chosen.revenue,
            "retorno": chosen.ret,
            "anio": chosen.year,
            "otras": [{"titulo": f.title, "anio": f.year} for f in films if f is not chosen],
        }

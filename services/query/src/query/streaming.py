"""Streaming-edition statistics, answered from indexes built once from ``titles.parquet``."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import Any, Final

import pandas as pd
from pydantic import BaseModel, Field

from cinemateca_common.contract import PLATFORMS
from cinemateca_common.errors import NotFoundError
from cinemateca_common.text import fold
from query.countries import CountryResolver
from query.matching import closed_set, list_cell
from query.schemas import example

MOVIE: Final = "movie"
TV_SHOW: Final = "tv show"
DURATION_TYPES: Final = ("min", "season")
TIPOS: Final = ("movie", "pelicula", "tv show", "serie")
# How a 422 names each closed set, in the parsers and in the OpenAPI examples alike. The ratings are
# the ones the catalogues use.
RATING_KIND: Final = "una clasificación de las que aparecen en los catálogos"

_PLATFORM_KEYS: Final = {
    **{name: name for name in PLATFORMS},
    "amazon prime": "amazon",
    "amazon prime video": "amazon",
    "prime video": "amazon",
    "disney+": "disney",
    "disney plus": "disney",
}
PLATFORM_KIND: Final = "una plataforma"
_DURATION_KEYS: Final = {
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "minuto": "min",
    "minutos": "min",
    "season": "season",
    "seasons": "season",
    "temporada": "season",
    "temporadas": "season",
}
DURATION_KIND: Final = "un tipo de duración"
_TIPO_KEYS: Final = {
    "movie": MOVIE,
    "movies": MOVIE,
    "pelicula": MOVIE,
    "peliculas": MOVIE,
    "tv show": TV_SHOW,
    "tv shows": TV_SHOW,
    "tv_show": TV_SHOW,
    "tvshow": TV_SHOW,
    "serie": TV_SHOW,
    "series": TV_SHOW,
}
TIPO_KIND: Final = "un tipo de título"


class CountryYearCount(BaseModel):
    """Títulos de un tipo producidos en un país y estrenados en un año."""

    model_config = example(pais="argentina", anio=2018, pelicula=15)

    pais: str = Field(description="Nombre del país tal como está almacenado (en minúsculas).")
    anio: int
    pelicula: int = Field(description="Cantidad de títulos (nombre de clave de la especificación).")


def _is_name(text: str) -> bool:
    """Digits-only entries (Amazon's placeholder cast "1, 2, 3") are not names."""
    return not text.replace(" ", "").isdigit()


def parse_platform(platform: str) -> str:
    """The platform key (amazon, disney, hulu, netflix) of a typed platform name."""
    return closed_set(
        _PLATFORM_KEYS,
        platform,
        parameter="platform",
        what=PLATFORM_KIND,
        valid_values=PLATFORMS,
    )


def parse_duration_type(duration_type: str) -> str:
    """``min`` or ``season`` (plurals and Spanish words accepted)."""
    return closed_set(
        _DURATION_KEYS,
        duration_type,
        parameter="duration_type",
        what=DURATION_KIND,
        valid_values=DURATION_TYPES,
    )


def parse_tipo(tipo: str) -> str:
    """``movie`` or ``tv show`` ("pelicula" and "serie" accepted)."""
    return closed_set(_TIPO_KEYS, tipo, parameter="tipo", what=TIPO_KIND, valid_values=TIPOS)


class StreamingStats:
    """The six streaming-edition statistics. Every answer is a dict lookup or a bisection."""

    def __init__(self, titles: pd.DataFrame) -> None:
        """``titles``: the four catalogues (``titles.parquet`` columns of the processed-data contract)."""
        self.rows = len(titles)
        platforms = titles["platform"].tolist()
        types = titles["type"].tolist()
        years = [int(y) for y in titles["release_year"].tolist()]
        names = titles["title"].tolist()
        is_movie = [t == MOVIE for t in types]

        self._movie_counts = dict.fromkeys(PLATFORMS, 0)
        longest: dict[tuple[str, int, str], tuple[int, str]] = {}
        scores: dict[tuple[str, int], list[float]] = {}
        for platform, movie, year, title, duration, duration_type, score in zip(
            platforms,
            is_movie,
            years,
            names,
            titles["duration_int"].tolist(),
            titles["duration_type"].tolist(),
            titles["score_mean"].tolist(),
            strict=True,
        ):
            if not movie:
                continue
            self._movie_counts[platform] = self._movie_counts.get(platform, 0) + 1
            if duration_type in DURATION_TYPES and duration is not None and not pd.isna(duration):
                key = (platform, year, duration_type)
                # Largest duration; ties go to the alphabetically first title.
                best = longest.get(key)
                minutes = int(duration)
                if best is None or minutes > best[0] or (minutes == best[0] and title < best[1]):
                    longest[key] = (minutes, title)
            if score is not None and not pd.isna(score):
                scores.setdefault((platform, year), []).append(float(score))
        self._longest = {key: title for key, (_, title) in longest.items()}
        self._scores = {key: sorted(values) for key, values in scores.items()}

        self._build_actors(platforms, years, titles["cast"].tolist())
        self._build_countries(types, years, titles["country"].tolist())
        ratings = Counter(fold(str(r)) for r in titles["rating"].tolist() if isinstance(r, str))
        self._ratings = dict(ratings)
        self._rating_values = sorted(self._ratings)

    def _build_actors(self, platforms: list[str], years: list[int], casts: list[Any]) -> None:
        counts: dict[tuple[str, int], Counter[str]] = {}
        self._platforms_with_cast: set[str] = set()
        for platform, year, cell in zip(platforms, years, casts, strict=True):
            actors = {name for name in list_cell(cell) if _is_name(name)}
            if not actors:
                continue
            self._platforms_with_cast.add(platform)
            counts.setdefault((platform, year), Counter()).update(actors)
        # Most titles first; ties alphabetical.
        self._actors = {
            key: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
            for key, counter in counts.items()
        }

    def _build_countries(self, types: list[str], years: list[int], cells: list[Any]) -> None:
        per_title = [list_cell(cell) for cell in cells]
        base = CountryResolver(())
        names = {name for countries in per_title for name in countries}
        self._countries = CountryResolver((name, base.key_of(name)) for name in sorted(names))
        counts: Counter[tuple[str, str, int]] = Counter()
        for kind, year, countries in zip(types, years, per_title, strict=True):
            for key in {self._countries.key_of(name) for name in countries}:
                counts[(kind, key, year)] += 1
        self._country_counts = dict(counts)

    # -- the statistics -------------------------------------------------------------------------

    def longest_movie(self, year: int, platform: str, duration_type: str) -> str:
        """Title of the movie with the largest ``duration_int`` of that release year, platform and
        duration type; ties go to the alphabetically first title. Only type "movie" counts."""
        key = (parse_platform(platform), year, parse_duration_type(duration_type))
        title = self._longest.get(key)
        if title is None:
            unit = "minutos" if key[2] == "min" else "temporadas"
            raise NotFoundError(
                f"Ninguna película de {key[0]} estrenada en {year} tiene su duración en {unit}"
                + (" (las películas se miden en minutos)." if key[2] == "season" else ".")
            )
        return title

    def movies_scored_above(self, platform: str, scored: float, year: int) -> int:
        """Movies of that platform and release year whose mean user score is strictly above ``scored``
        (0 for a year with no movies)."""
        values = self._scores.get((parse_platform(platform), year), [])
        return len(values) - bisect_right(values, scored)

    def movies_on_platform(self, platform: str) -> int:
        """Titles of type movie on that platform."""
        return self._movie_counts[parse_platform(platform)]

    def top_actor(self, platform: str, year: int) -> str:
        """The actor in most titles (any type) of that platform released that year; ties alphabetical.
        Digits-only cast entries are placeholders, not actors."""
        key = parse_platform(platform)
        if key not in self._platforms_with_cast:
            raise NotFoundError(f"{key} no tiene datos de reparto: su catálogo no lista actores.")
        actor = self._actors.get((key, year))
        if actor is None:
            raise NotFoundError(f"Ningún título de {key} estrenado en {year} lista su reparto.")
        return actor

    def titles_from_country(self, tipo: str, pais: str, anio: int) -> CountryYearCount:
        """Titles of that type whose country list includes that country (whole element), released
        that year, all platforms. Country: stored name, ISO alpha-2 code, Spanish or English name."""
        kind = parse_tipo(tipo)
        key = self._countries.resolve(pais)
        if key is None:
            raise NotFoundError(
                f"No hay ningún país llamado '{pais}'.", suggestions=self._countries.suggest(pais)
            )
        return CountryYearCount(
            pais=self._countries.display(key, lower=True),
            anio=anio,
            pelicula=self._country_counts.get((kind, key, anio), 0),
        )

    def titles_rated(self, rating: str) -> int:
        """Titles of any type with that rating (case-insensitive; a missing rating was stored as "g")."""
        return closed_set(
            self._ratings,
            rating,
            parameter="rating",
            what=RATING_KIND,
            valid_values=self._rating_values,
            one="una",
        )

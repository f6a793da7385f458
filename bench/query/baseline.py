"""The usual notebook implementation of the twelve statistics: filter the DataFrame on every call.

List columns are joined into comma-separated strings at load time, as the notebooks keep them, and
matched with ``str.contains`` (which is also why they count "Nigeria" for "Niger").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
DAYS = {
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "domingo": 6,
}


def _joined(column: pd.Series) -> pd.Series:
    return column.map(lambda cell: ", ".join(cell) if cell is not None else "")


class Baseline:
    """One method per endpoint, each scanning the whole table."""

    def __init__(self, movies: pd.DataFrame, titles: pd.DataFrame) -> None:
        movies = movies.copy()
        movies["release_date"] = pd.to_datetime(movies["release_date"])
        movies["production_companies"] = _joined(movies["production_companies"])
        movies["production_countries"] = _joined(movies["production_countries"])
        titles = titles.copy()
        titles["cast"] = _joined(titles["cast"])
        titles["country"] = _joined(titles["country"])
        self.df = movies
        self.titles = titles

    def peliculas_mes(self, mes: str) -> dict[str, Any]:
        df = self.df
        return {"mes": mes, "cantidad": int(df[df.release_date.dt.month == MONTHS[mes]].shape[0])}

    def peliculas_dia(self, dia: str) -> dict[str, Any]:
        df = self.df
        count = df[df.release_date.dt.dayofweek == DAYS[dia]].shape[0]
        return {"dia": dia, "cantidad": int(count)}

    def franquicia(self, franquicia: str) -> dict[str, Any]:
        df = self.df
        sub = df[df.collection_name.str.lower() == franquicia.lower()]
        total = float(sub.revenue.sum())
        return {
            "franquicia": franquicia,
            "cantidad": len(sub),
            "ganancia_total": total,
            "ganancia_promedio": total / len(sub),
        }

    def peliculas_pais(self, pais: str) -> dict[str, Any]:
        df = self.df
        count = df[df.production_countries.str.contains(pais, na=False, regex=False)].shape[0]
        return {"pais": pais, "cantidad": int(count)}

    def productoras(self, productora: str) -> dict[str, Any]:
        df = self.df
        sub = df[df.production_companies.str.contains(productora, na=False, regex=False)]
        return {
            "productora": productora,
            "ganancia_total": float(sub.revenue.sum()),
            "cantidad": len(sub),
        }

    def retorno(self, pelicula: str) -> dict[str, Any]:
        df = self.df
        row = df[df.title.str.lower() == pelicula.lower()].iloc[0]
        return {
            "pelicula": row.title,
            "inversion": float(row.budget),
            "ganancia": float(row.revenue),
            "retorno": float(row["return"]),
            "anio": int(row.release_year),
        }

    def get_max_duration(self, year: int, platform: str, duration_type: str) -> str:
        t = self.titles
        sub = t[
            (t.release_year == year)
            & (t.platform == platform)
            & (t.duration_type == duration_type)
            & (t.type == "movie")
        ]
        return str(
            sub.sort_values(["duration_int", "title"], ascending=[False, True]).iloc[0].title
        )

    def get_score_count(self, platform: str, scored: float, year: int) -> int:
        t = self.titles
        sub = t[
            (t.platform == platform)
            & (t.release_year == year)
            & (t.type == "movie")
            & (t.score_mean > scored)
        ]
        return int(sub.shape[0])

    def get_count_platform(self, platform: str) -> int:
        t = self.titles
        return int(t[(t.platform == platform) & (t.type == "movie")].shape[0])

    def get_actor(self, platform: str, year: int) -> str:
        t = self.titles
        sub = t[(t.platform == platform) & (t.release_year == year)]
        actors = sub.cast.str.split(", ").explode()
        actors = actors[actors.notna() & (actors != "") & ~actors.str.isdigit()]
        counts = actors.value_counts()
        best = counts[counts == counts.max()]
        return str(sorted(best.index)[0])

    def prod_per_county(self, tipo: str, pais: str, anio: int) -> dict[str, Any]:
        t = self.titles
        sub = t[
            (t.type == tipo)
            & (t.release_year == anio)
            & t.country.str.contains(pais, na=False, regex=False)
        ]
        return {"pais": pais, "anio": anio, "pelicula": int(sub.shape[0])}

    def get_contents(self, rating: str) -> int:
        t = self.titles
        return int(t[t.rating == rating.lower()].shape[0])

"""HTTP routes of the recommender: thin wrappers over :class:`recommender.model.Recommender`."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Path, Query, Request

from cinemateca_common.contract import EDITIONS, Edition
from cinemateca_common.errors import InvalidValueError
from cinemateca_common.health import ServiceHealth
from cinemateca_common.web import edition_parameter  # also makes {name:path} match line breaks
from recommender.model import Item, Recommendation, Recommender, SetItem, TitleRef
from recommender.schemas import (
    Recomendacion,
    RecomendacionConjunto,
    Recomendaciones,
    RecomendacionesConjunto,
    Titulo,
)

router = APIRouter()


def get_models(request: Request) -> dict[Edition, Recommender]:
    """The recommenders loaded by the lifespan, one per edition."""
    models: dict[Edition, Recommender] = request.state.models
    return models


ModelsDep = Annotated[dict[Edition, Recommender], Depends(get_models)]

TituloPath = Annotated[
    str,
    Path(
        description="Título a buscar; no distingue mayúsculas, acentos ni signos de puntuación.",
        pattern=r"\S",
        max_length=300,
        examples=["Toy Story"],
    ),
]


get_edition = edition_parameter(
    "Catálogo: `movies` (por defecto) o `streaming`; no distingue mayúsculas ni acentos."
)
EditionDep = Annotated[Edition, Depends(get_edition)]


def _titulo(ref: TitleRef) -> Titulo:
    return Titulo(titulo=ref.title, anio=ref.year, id=ref.id)


def _response(rec: Recommendation, edition: Edition) -> Recomendaciones:
    return Recomendaciones(
        titulo=_titulo(rec.query),
        catalogo=edition,
        otras=[_titulo(r) for r in rec.others],
        recomendaciones=[Recomendacion(**_fields(item)) for item in rec.items],
    )


def _fields(item: Item | SetItem) -> dict[str, Any]:
    """The wire fields every recommended title has (title, year, id, score, reason)."""
    return {
        "titulo": item.ref.title,
        "anio": item.ref.year,
        "id": item.ref.id,
        "score": item.score,
        "razon": item.reason,
    }


def combined_version(models: dict[Edition, Recommender]) -> str:
    """The service's one version: every catalogue's model version (also the X-Model-Version header)."""
    return "+".join(models[c].version for c in EDITIONS if c in models)


@router.get(
    "/health",
    response_model=ServiceHealth,
    response_model_exclude_none=True,
    summary="Estado del servicio",
)
def health(models: ModelsDep) -> ServiceHealth:
    """Responde 200 cuando los modelos están cargados, con sus versiones."""
    versions = {name: rec.version for name, rec in models.items()}
    return ServiceHealth(
        status="ok",
        service="recommender",
        version=combined_version(models),
        model_versions=versions,
        titles={name: len(rec) for name, rec in models.items()},
    )


@router.get(
    "/get_recommendation/{titulo:path}",
    response_model=list[str],
    summary="Los 5 títulos más parecidos",
    responses={
        200: {"content": {"application/json": {"example": ["Toy Story 2", "Toy Story 3"]}}},
        404: {"description": "Título no encontrado; `detail.suggestions` propone hasta 5 títulos."},
        422: {"description": "Parámetro inválido (`detail.valid_values` para catalogo)."},
    },
)
def get_recommendation(titulo: TituloPath, models: ModelsDep, edition: EditionDep) -> list[str]:
    """Lista de los 5 títulos más parecidos a `titulo`, el más parecido primero (contrato original)."""
    return models[edition].titles_for(titulo, 5)


@router.get(
    "/recomendaciones/{titulo:path}",
    response_model=Recomendaciones,
    summary="Recomendaciones con año, puntuación y motivo",
    responses={
        404: {"description": "Título no encontrado; `detail.suggestions` propone hasta 5 títulos."},
        422: {
            "description": "Parámetro inválido: k fuera de 1..50, catalogo desconocido, título vacío."
        },
    },
)
def recomendaciones(
    titulo: TituloPath,
    models: ModelsDep,
    edition: EditionDep,
    k: Annotated[int, Query(ge=1, le=50, description="Número de recomendaciones (1 a 50).")] = 5,
    anio: Annotated[
        int | None,
        Query(ge=1800, le=2100, description="Año del título, para elegir entre títulos homónimos."),
    ] = None,
) -> Recomendaciones:
    """El título resuelto (y sus homónimos) y sus `k` títulos más afines, cada uno con un motivo."""
    return _response(models[edition].recommend(titulo, k, anio), edition)


MAX_SET: Final = 20


@router.get(
    "/recomendaciones",
    response_model=RecomendacionesConjunto,
    summary="Recomendaciones para un conjunto de títulos",
    responses={
        404: {
            "description": (
                "Algún título no existe: `detail.desconocidos` lista cada uno con sus sugerencias."
            )
        },
        422: {
            "description": (
                "Parámetro inválido: 0 o más de 20 títulos, `anios` de otra longitud o no numérico,"
                " k fuera de 1..50, catalogo desconocido."
            )
        },
    },
)
def recomendaciones_conjunto(
    models: ModelsDep,
    edition: EditionDep,
    titulos: Annotated[
        list[str] | None,
        Query(
            description=(
                "Títulos del conjunto (repetible, 1 a 20). Admite `Título (1995)` para elegir el año."
            ),
            examples=[["Toy Story", "Jumanji", "Aladdin"]],
        ),
    ] = None,
    anios: Annotated[
        list[str] | None,
        Query(
            description=(
                "Años paralelos a `titulos` (repetible, misma cantidad; vacío = sin año)."
            ),
        ),
    ] = None,
    k: Annotated[int, Query(ge=1, le=50, description="Número de recomendaciones (1 a 50).")] = 10,
) -> RecomendacionesConjunto:
    """Los `k` títulos más afines al conjunto, ninguno de ellos, cada uno con motivo y vínculos."""
    wanted = _wanted(titulos or [], anios)
    result = models[edition].recommend_set(wanted, k)
    return RecomendacionesConjunto(
        catalogo=edition,
        titulos=[_titulo(r) for r in result.queries],
        recomendaciones=[
            RecomendacionConjunto(**_fields(item), relacionado_con=[r.title for r in item.related])
            for item in result.items
        ],
    )


def _wanted(titulos: list[str], anios: list[str] | None) -> list[tuple[str, int | None]]:
    """Pairs (title, year) from the parallel lists; 422 in Spanish for every malformed input."""
    titles = [t.strip() for t in titulos]
    if not 1 <= len(titles) <= MAX_SET or not all(titles):
        raise InvalidValueError(
            f"Se esperan entre 1 y {MAX_SET} títulos no vacíos en `titulos`; se recibieron"
            f" {len([t for t in titles if t])}.",
            parameter="titulos",
            value=[t[:100] for t in titulos[: MAX_SET + 1]],
            valid_values=[f"1 a {MAX_SET} títulos, p. ej. ?titulos=Toy Story&titulos=Jumanji"],
        )
    if anios is None:
        return [(t, None) for t in titles]
    if len(anios) != len(titles):
        raise InvalidValueError(
            f"`anios` debe tener un valor por título ({len(titles)}), vacío si no hay año;"
            f" se recibieron {len(anios)}.",
            parameter="anios",
            value=anios[: MAX_SET + 1],
            valid_values=["un año de 4 cifras o vacío por cada título"],
        )
    years: list[int | None] = []
    for value in anios:
        text = value.strip()
        if not text:
            years.append(None)
        elif text.isascii() and text.isdigit() and len(text) == 4:
            years.append(int(text))
        else:
            raise InvalidValueError(
                f"El año '{value[:20]}' no es válido: use 4 cifras (p. ej. 1995) o déjelo vacío.",
                parameter="anios",
                value=value[:20],
                valid_values=["un año de 4 cifras o vacío por cada título"],
            )
    return list(zip(titles, years, strict=True))


@router.get(
    "/titulos/{id}/recomendaciones",
    response_model=Recomendaciones,
    summary="Recomendaciones para un título por su id",
    responses={
        404: {"description": "No hay ningún título con ese id en el catálogo."},
        422: {"description": "Parámetro inválido: k fuera de 1..50 o catalogo desconocido."},
    },
)
def recomendaciones_por_id(
    title_id: Annotated[
        str,
        Path(
            alias="id",
            description="Id del título en su catálogo (el que devuelven /buscar y las "
            "recomendaciones): número de TMDB en movies, inicial de la plataforma y show_id en "
            "streaming (ns1).",
            examples=["862"],
        ),
    ],
    models: ModelsDep,
    edition: EditionDep,
    k: Annotated[int, Query(ge=1, le=50, description="Número de recomendaciones (1 a 50).")] = 5,
) -> Recomendaciones:
    """Lo mismo que `/recomendaciones/{titulo}`, sin resolver el título: el id lo elige."""
    model = models[edition]
    return _response(model.recommend_index(model.index_of(title_id), k), edition)

"""HTTP routes of the recommender: thin wrappers over :class:`recommender.model.Recommender`."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Path, Query, Request

from cinemateca_common.errors import InvalidValueError
from cinemateca_common.text import fold
from recommender.model import Recommendation, Recommender, TitleRef
from recommender.schemas import Health, Recomendacion, Recomendaciones, Titulo

CATALOGOS: Final = ("movies", "streaming")

router = APIRouter()


def get_models(request: Request) -> dict[str, Recommender]:
    """The recommenders loaded by the lifespan, one per catalogue."""
    models: dict[str, Recommender] = request.state.models
    return models


ModelsDep = Annotated[dict[str, Recommender], Depends(get_models)]

TituloPath = Annotated[
    str,
    Path(
        description="Título a buscar; no distingue mayúsculas, acentos ni signos de puntuación.",
        pattern=r"\S",
        max_length=300,
        examples=["Toy Story"],
    ),
]


def get_catalogo(
    catalogo: Annotated[
        str,
        Query(
            description=(
                "Catálogo: `movies` (por defecto) o `streaming`; "
                "no distingue mayúsculas ni acentos."
            ),
            examples=["movies"],
        ),
    ] = "movies",
) -> str:
    """The catalogue's canonical name (folded, so ``Movies`` is ``movies``); 422 with the valid values."""
    name = fold(catalogo)
    if name not in CATALOGOS:
        raise InvalidValueError(
            f"unknown catalogo '{catalogo}'",
            parameter="catalogo",
            value=catalogo,
            valid_values=list(CATALOGOS),
        )
    return name


# No JSON Schema enum: enums are case-sensitive, and "Movies" is as valid as "movies" here.
CatalogoDep = Annotated[str, Depends(get_catalogo)]


def _titulo(ref: TitleRef) -> Titulo:
    return Titulo(titulo=ref.title, anio=ref.year, id=ref.id)


def _response(rec: Recommendation, catalogo: str) -> Recomendaciones:
    return Recomendaciones(
        titulo=_titulo(rec.query),
        catalogo=catalogo,
        otras=[_titulo(r) for r in rec.others],
        recomendaciones=[
            Recomendacion(
                titulo=item.ref.title,
                anio=item.ref.year,
                id=item.ref.id,
                score=item.score,
                razon=item.reason,
            )
            for item in rec.items
        ],
    )


def combined_version(models: dict[str, Recommender]) -> str:
    """The service's one version: every catalogue's model version (also the X-Model-Version header)."""
    return "+".join(models[c].version for c in CATALOGOS if c in models)


@router.get("/health", response_model=Health, summary="Estado del servicio")
def health(models: ModelsDep) -> Health:
    """Responde 200 cuando los modelos están cargados, con sus versiones."""
    versions = {name: rec.version for name, rec in models.items()}
    return Health(
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
def get_recommendation(titulo: TituloPath, models: ModelsDep, catalogo: CatalogoDep) -> list[str]:
    """Lista de los 5 títulos más parecidos a `titulo`, el más parecido primero (contrato original)."""
    return models[catalogo].titles_for(titulo, 5)


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
    catalogo: CatalogoDep,
    k: Annotated[int, Query(ge=1, le=50, description="Número de recomendaciones (1 a 50).")] = 5,
    anio: Annotated[
        int | None,
        Query(ge=1800, le=2100, description="Año del título, para elegir entre títulos homónimos."),
    ] = None,
) -> Recomendaciones:
    """El título resuelto (y sus homónimos) y sus `k` títulos más afines, cada uno con un motivo."""
    return _response(models[catalogo].recommend(titulo, k, anio), catalogo)

"""The ``/health`` body of the services: what query and recommender return and the gateway parses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ServiceHealth(BaseModel):
    """Estado del servicio y versión de lo que sirve (datos o modelos).

    Each service fills its own optional fields and serves the body without the others
    (``response_model_exclude_none=True``). Fields a newer service adds are kept (``extra="allow"``),
    so the gateway passes them on in its own /health.
    """

    model_config = ConfigDict(extra="allow")

    status: str = Field(examples=["ok"])
    service: str = Field(examples=["query"])
    version: str = Field(
        description=(
            "Cambia cada vez que cambian los datos o los modelos servidos (la caché del gateway "
            "se indexa por ella)."
        )
    )
    # query
    data_versions: dict[str, str] | None = Field(
        default=None, description="Versión de los datos de cada edición (consultas)."
    )
    rows: dict[str, int] | None = Field(default=None, description="Filas por edición (consultas).")
    # recommender
    model_versions: dict[str, str] | None = Field(
        default=None, description="Versión del modelo de cada catálogo (recomendador)."
    )
    titles: dict[str, int] | None = Field(
        default=None, description="Títulos servidos por catálogo (recomendador)."
    )

    def extras(self) -> dict[str, object]:
        """Everything but ``status`` and ``service``, as served: the service's part of the gateway's
        /health."""
        return self.model_dump(exclude={"status", "service"}, exclude_none=True)

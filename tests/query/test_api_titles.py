"""/buscar, /titulos/{id} and /informes/{catalogo} on the real ETL output: status, body, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinemateca_common.text import fold_title
from query.app import create_app
from query.config import Settings
from tests.support.errors import invalid_value

# Titles that once answered 404 from their own catalogue (non-Latin scripts, a line break inside).
HARD_TITLES = ["반드시 잡는다", "يوم الدين", "忍者ハットリくん"]
LINE_BREAK_TITLE = "The Memphis Belle: A Story of a\r\nFlying Fortress"


def test_buscar_toy_sto_pages_and_shape(client: TestClient) -> None:
    response = client.get("/buscar", params={"q": "toy sto"})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("q", "catalogo", "pagina", "por_pagina")} == {
        "q": "toy sto",
        "catalogo": "movies",
        "pagina": 1,
        "por_pagina": 20,
    }
    assert body["resultados"][0] == {
        "id": 862,
        "titulo": "Toy Story",
        "anio": 1995,
        "plataforma": None,
        "tipo": None,
    }
    assert body["total_paginas"] == -(-body["total_resultados"] // 20)


def test_buscar_streaming_shows_the_display_spelling_and_ids(client: TestClient) -> None:
    body = client.get("/buscar", params={"q": "dick johnson is dead", "catalogo": "Streaming"})
    assert body.status_code == 200
    first = body.json()["resultados"][0]
    assert first == {
        "id": "ns1",
        "titulo": "Dick Johnson Is Dead",
        "anio": 2020,
        "plataforma": "netflix",
        "tipo": "movie",
    }


def test_buscar_unknown_catalogo_is_422(client: TestClient) -> None:
    response = client.get("/buscar", params={"q": "x", "catalogo": "series"})
    assert response.status_code == 422
    assert response.json() == invalid_value(
        "un catálogo", "catalogo", "series", ["movies", "streaming"]
    )


def test_titulo_movie(client: TestClient) -> None:
    response = client.get("/titulos/862")
    assert response.status_code == 200
    assert response.json() == {
        "id": 862,
        "catalogo": "movies",
        "titulo": "Toy Story",
        "titulo_original": None,
        "anio": 1995,
        "descripcion": response.json()["descripcion"],
        "generos": ["Animation", "Comedy", "Family"],
        "directores": ["John Lasseter"],
        "reparto": ["Tom Hanks", "Tim Allen", "Don Rickles"],
        "plataforma": None,
        "tipo": None,
        "coleccion": "Toy Story Collection",
        "duracion": "81 min",
        "puntuacion": 7.7,
    }
    assert response.json()["descripcion"].startswith("Led by Woody, Andy's toys live happily")


def test_titulo_unknown_id_is_404_without_suggestions(client: TestClient) -> None:
    response = client.get("/titulos/ns1")  # a streaming id asked in movies
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "No hay ningún título con id 'ns1' en el catálogo movies; en movies el id "
            "es el número de TMDB, como 862. Use los ids que devuelve /buscar.",
            "suggestions": [],
        }
    }


def test_informe_is_the_etl_report(client: TestClient, processed_dir: Path) -> None:
    for edition in ("movies", "streaming"):
        response = client.get(f"/informes/{edition.upper()}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.text == (processed_dir / edition / "report.html").read_text("utf-8")
    assert client.post("/informes/movies").status_code == 405


def test_informe_missing_is_404_in_spanish(processed_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "processed"
    shutil.copytree(processed_dir, copy)
    (copy / "streaming" / "report.html").unlink()
    with TestClient(create_app(Settings(processed_dir=copy))) as client:
        response = client.get("/informes/streaming")
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "message": "El informe del catálogo streaming no existe todavía: lo escribe "
            "`uv run etl streaming`.",
            "suggestions": [],
        }
    }


@pytest.mark.parametrize("title", [*HARD_TITLES, LINE_BREAK_TITLE])
def test_titles_in_other_scripts_and_with_line_breaks_are_found(
    client: TestClient, title: str
) -> None:
    found = client.get("/buscar", params={"q": title, "catalogo": "streaming"}).json()
    first = found["resultados"][0]
    assert fold_title(first["titulo"]) == fold_title(title)
    details = client.get(f"/titulos/{first['id']}", params={"catalogo": "streaming"})
    assert details.status_code == 200
    assert details.json()["titulo"] == first["titulo"]

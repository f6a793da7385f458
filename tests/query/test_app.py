"""App factory: health, settings, startup failure on missing data, OpenAPI docs."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinemateca_common.health import ServiceHealth
from query.app import create_app
from query.config import Settings
from tests.support.startup import failed_start

ROUTES = [
    "/peliculas_mes/{mes}",
    "/peliculas_dia/{dia}",
    "/franquicia/{franquicia}",
    "/peliculas_pais/{pais}",
    "/productoras/{productora}",
    "/retorno/{pelicula}",
    "/get_max_duration/{year}/{platform}/{duration_type}",
    "/get_score_count/{platform}/{scored}/{year}",
    "/get_count_platform/{platform}",
    "/get_actor/{platform}/{year}",
    "/prod_per_county/{tipo}/{pais}/{anio}",
    "/get_contents/{rating}",
    "/buscar",
    "/titulos/{id}",
]


def test_health_reports_both_data_versions(client: TestClient, processed_dir: Path) -> None:
    versions = {
        edition: json.loads((processed_dir / edition / "manifest.json").read_text())["data_version"]
        for edition in ("movies", "streaming")
    }
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "service": "query",
        "version": f"{versions['movies']}+{versions['streaming']}",
        "data_versions": versions,
        "rows": {"movies": 4995, "streaming": 22998},
    }
    # The shared contract the gateway parses, served without the recommender's fields.
    body = response.json()
    assert ServiceHealth.model_validate(body).model_dump(exclude_none=True) == body


def test_settings_read_processed_dir_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROCESSED_DIR", "/somewhere/processed")
    assert Settings().processed_dir == Path("/somewhere/processed")
    monkeypatch.delenv("PROCESSED_DIR")
    assert Settings().processed_dir == Path("data/processed")


@pytest.mark.parametrize(
    ("edition", "missing"),
    [("movies", "movies.parquet"), ("streaming", "titles.parquet"), ("movies", "manifest.json")],
)
def test_startup_fails_with_one_clear_line_when_a_file_is_missing(
    processed_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    edition: str,
    missing: str,
) -> None:
    copy = tmp_path / "processed"
    shutil.copytree(processed_dir, copy)
    (copy / edition / missing).unlink()
    errors = failed_start(create_app(Settings(processed_dir=copy)), "query.app", caplog)
    assert errors == [
        f"cannot start: {copy / edition / missing} not found: run `uv run etl {edition}` first"
    ]


def test_startup_logs_rows_and_seconds(
    processed_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="query.data"),
        TestClient(create_app(Settings(processed_dir=processed_dir))) as client,
    ):
        assert client.get("/health").status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "query.data"]
    assert len(lines) == 1
    assert lines[0].startswith("loaded 4995 movies and 22998 streaming titles from ")
    assert " s (data version " in lines[0]


def test_openapi_documents_every_route_in_spanish_with_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(ROUTES) <= set(spec["paths"])
    for route in ROUTES:
        operation = spec["paths"][route]["get"]
        assert operation["summary"], route
        assert operation["description"], route
        for parameter in operation["parameters"]:
            assert parameter["description"], (route, parameter["name"])
            assert parameter.get("examples") or parameter["schema"].get("examples"), (
                route,
                parameter["name"],
            )
        ok = operation["responses"]["200"]["content"]["application/json"]
        schema = ok["schema"]
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert spec["components"]["schemas"][name].get("examples"), route
        else:
            assert "example" in ok, route


def test_every_422_documents_the_real_spanish_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(spec)
    documented = 0
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            response = operation["responses"].get("422")
            if response is None:
                assert not operation.get("parameters"), path
                continue
            documented += 1
            content = response["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, path
            assert content["example"]["detail"]["message"].startswith("El parámetro '"), path
    assert documented >= len(ROUTES)
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert {"message", "parameter", "value", "valid_values", "errors"} <= set(detail["properties"])


def test_docs_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200


def test_served_process_exits_with_one_clear_line_when_data_is_missing(tmp_path: Path) -> None:
    """``uvicorn query.app:create_app --factory`` as a user starts it, on an empty PROCESSED_DIR."""
    env = {**os.environ, "PROCESSED_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "uvicorn", "query.app:create_app", "--factory", "--port", "0"]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if "ERROR" in line]
    assert errors[0].endswith(
        f"ERROR query.app: cannot start: {tmp_path / 'movies' / 'manifest.json'} not found: "
        "run `uv run etl movies` first"
    )
    # uvicorn's own lines go through the same format (cinemateca_common.logs).
    assert [line.split(" ", 2)[2] for line in errors[1:]] == [
        "ERROR uvicorn.error: Application startup failed. Exiting."
    ]

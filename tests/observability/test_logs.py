"""JSON logs of real processes: one format per process, one request id on every line of a request."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.servers import UvicornServer, free_port

pytestmark = pytest.mark.e2e

JSON_LOGS = {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}


def read_json_lines(path: Path, start: int = 0, end: int | None = None) -> list[dict[str, Any]]:
    """The lines between two byte offsets, each parsed as one JSON object (fails on any other line)."""
    with path.open("rb") as file:
        file.seek(start)
        data = file.read() if end is None else file.read(end - start)
    return [json.loads(line) for line in data.decode().splitlines()]


def test_every_line_of_a_request_carries_its_id_in_gateway_and_service(
    processed_dir: Path, tmp_path: Path
) -> None:
    query = UvicornServer(
        "query",
        "query.app:create_app",
        {"PROCESSED_DIR": str(processed_dir), **JSON_LOGS},
        tmp_path,
    )
    gateway = UvicornServer(
        "gateway",
        "gateway.app:create_app",
        {
            "QUERY_URL": query.url,
            # Down on purpose: the gateway is ready with one service, and polls it often.
            "RECOMMENDER_URL": f"http://127.0.0.1:{free_port()}",
            "VERSION_REFRESH_SECONDS": "0.2",
            "VERSION_RETRY_SECONDS": "0.2",
            **JSON_LOGS,
        },
        tmp_path,
        ready_path="/health/ready",
    )
    try:
        query.start()
        gateway.start()
        time.sleep(0.5)  # startup lines written
        before = {server.name: server.log_file.stat().st_size for server in (query, gateway)}
        response = httpx.get(f"{gateway.url}/peliculas_mes/Enero", timeout=10.0)
        # Meanwhile the gateway polls the query service's /health several times: probe requests
        # are logged at DEBUG, so no line without this request's id may appear in either log.
        time.sleep(1.0)
        after = {server.name: server.log_file.stat().st_size for server in (query, gateway)}
    finally:
        gateway.stop()
        query.stop()
    assert response.status_code == 200
    request_id = response.headers["x-request-id"]

    for server in (query, gateway):
        lines = read_json_lines(server.log_file)  # every line of the process is JSON
        assert any(line["logger"].startswith("uvicorn") for line in lines), "uvicorn's own lines"
        during = read_json_lines(server.log_file, before[server.name], after[server.name])
        assert during, server.name
        assert [line.get("request_id") for line in during] == [request_id] * len(during), during
        access = [line for line in during if line["logger"] == "cinemateca.access"]
        assert len(access) == 1, during
        assert access[0]["method"] == "GET"
        assert access[0]["route"] == "/peliculas_mes/{mes}"
        assert access[0]["path"] == "/peliculas_mes/Enero"
        assert access[0]["status"] == 200
        assert access[0]["duration_ms"] > 0
        assert access[0]["level"] == "INFO"

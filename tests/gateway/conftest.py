"""Small real downstream services (uvicorn on loopback ports) for the gateway's tests."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class FakeService:
    """A real HTTP service standing in for query or recommender: echoes what it receives.

    ``/health`` reports ``version``; every other GET path answers ``{"service", "path", "raw_path",
    "query", "request_id"}``, except paths containing ``boom`` (500), ``nada`` (404 in the shared shape) and
    ``lento`` (answers after ``delay`` seconds). ``calls`` counts requests per path.
    """

    name: str
    version: str = "v1"
    delay: float = 1.0
    calls: Counter[str] = field(default_factory=Counter)
    request_ids: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI(title=f"fake {self.name}")

        @app.get("/health")
        def health() -> dict[str, str]:
            return {"status": "ok", "service": self.name, "version": self.version}

        @app.get("/{path:path}")
        async def echo(path: str, request: Request) -> JSONResponse:
            self.calls[f"/{path}"] += 1
            request_id = request.headers.get("x-request-id", "")
            self.request_ids.append(request_id)
            if "boom" in path:
                return JSONResponse({"detail": "kaput"}, status_code=500)
            if "nada" in path:
                body = {"detail": {"message": f"{path} not found", "suggestions": ["algo"]}}
                return JSONResponse(body, status_code=404)
            if "lento" in path:
                await asyncio.sleep(self.delay)
            return JSONResponse(
                {
                    "service": self.name,
                    "path": f"/{path}",
                    "raw_path": request.scope["raw_path"].decode("ascii"),
                    "query": sorted(request.query_params.multi_items()),
                    "request_id": request_id,
                }
            )

        return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on a free loopback port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("fake service did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def hanging_server() -> Iterator[str]:
    """A socket that accepts connections (kernel backlog) and never answers: a hung service."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def query_service() -> Iterator[tuple[FakeService, str]]:
    fake = FakeService("query")
    with serve(fake.app()) as url:
        yield fake, url


@pytest.fixture
def recommender_service() -> Iterator[tuple[FakeService, str]]:
    fake = FakeService("recommender")
    with serve(fake.app()) as url:
        yield fake, url


@pytest.fixture
def closed_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def hanging_url() -> Iterator[str]:
    with hanging_server() as url:
        yield url


class SpareRedis:
    """A redis-server of the test's own on a free port, to stop and restart (never the shared one)."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server not installed (bash .ci/run installs it)")
        self._binary = binary
        self._workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [
                self._binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self._workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(timeout=10)
            self._proc = None


@pytest.fixture
def spare_redis(tmp_path: Path) -> Iterator[SpareRedis]:
    server = SpareRedis(tmp_path)
    try:
        yield server
    finally:
        server.stop()

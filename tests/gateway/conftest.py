"""Small real downstream services (uvicorn on loopback ports) for the gateway's tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.config import Settings
from gateway.routes import VERSION_HEADERS
from tests.support.processes import free_port

# The shared local Redis, database 15; each test keeps to a key prefix of its own.
REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass
class FakeService:
    """A real HTTP service standing in for query or recommender: echoes what it receives.

    ``/health`` reports ``version``; every other GET path answers ``{"service", "path", "raw_path",
    "query", "request_id"}``, except paths containing ``boom`` (500), ``nada`` (404 in the shared shape) and
    ``lento`` (answers after ``delay`` seconds), and ``informes/...`` (an HTML page). ``calls`` counts requests per path. Every answer
    names ``version`` in the service's version header, as the real services do; ``answer_version``,
    when set, is named instead (a service that switched version since its last /health).
    """

    name: str
    version: str = "v1"
    delay: float = 1.0
    calls: Counter[str] = field(default_factory=Counter)
    request_ids: list[str] = field(default_factory=list)
    answer_version: str | None = None

    def app(self) -> FastAPI:
        app = FastAPI(title=f"fake {self.name}", redirect_slashes=False)
        header = VERSION_HEADERS["query" if self.name == "query" else "recommender"]

        @app.middleware("http")
        async def version_header(request: Request, call_next: Any) -> Any:
            response = await call_next(request)
            response.headers[header] = self.answer_version or self.version
            return response

        @app.get("/health")
        def health() -> dict[str, str]:
            return {"status": "ok", "service": self.name, "version": self.version}

        @app.get("/{path:path}")
        async def echo(path: str, request: Request) -> Response:
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
            if path.startswith("informes/"):
                return HTMLResponse(f"<h1>{path}</h1>")
            return JSONResponse(
                {
                    "service": self.name,
                    "path": f"/{path}",
                    "raw_path": request.scope["raw_path"].decode("ascii"),
                    "query": sorted(request.query_params.multi_items()),
                    "request_id": request_id,
                    "version": self.answer_version or self.version,
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


# A fake service and its URL, as the fixtures below yield them.
Service = tuple[FakeService, str]


@pytest.fixture
def query_service() -> Iterator[Service]:
    fake = FakeService("query")
    with serve(fake.app()) as url:
        yield fake, url


@pytest.fixture
def recommender_service() -> Iterator[Service]:
    fake = FakeService("recommender")
    with serve(fake.app()) as url:
        yield fake, url


@pytest.fixture
def closed_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def closed_redis_url(closed_url: str) -> str:
    """A Redis URL where nothing listens (connection refused)."""
    return closed_url.replace("http://", "redis://")


@pytest.fixture
def hung_recommender(query_service: Service) -> Iterator[Settings]:
    """The gateway's settings with the query service up and a hung recommender (0.3 s timeouts): a
    socket that accepts connections (kernel backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield Settings(
            query_url=query_service[1],
            recommender_url=f"http://127.0.0.1:{sock.getsockname()[1]}",
            downstream_timeout=0.3,
            health_timeout=0.3,
        )


@pytest.fixture
def client(query_service: Service, recommender_service: Service) -> Iterator[TestClient]:
    """The gateway in front of both fake services (in-memory cache)."""
    settings = Settings(
        query_url=query_service[1],
        recommender_url=recommender_service[1],
        downstream_timeout=2.0,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client

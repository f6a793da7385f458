"""Load generators: a minimal keep-alive HTTP/1.1 client on asyncio streams, and httpx for comparison."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import numpy as np


@dataclass
class Result:
    """Latencies (seconds) and status / X-Cache counts of one load run."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    cache: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    load: float = float("nan")  # 1-minute load average at the end of the run
    cpu_per_request: float = float("nan")  # seconds of the server processes' CPU per request

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        return float(np.percentile(np.array(self.latencies), q)) * 1000


class _Connection:
    """One keep-alive connection; requests are sent one after the other (no pipelining)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, str]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, cache = 0, ""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"x-cache":
                cache = value.strip().decode()
        await self.reader.readexactly(length)
        return status, cache

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run_raw(urls: Sequence[str], concurrency: int) -> Result:
    """Send every URL (absolute, percent-encoded) with ``concurrency`` workers on raw streams."""
    result = Result()
    queue = iter(urls)

    async def worker() -> None:
        connections: dict[tuple[str, int], _Connection] = {}
        for url in queue:
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            address = (parts.hostname or "127.0.0.1", parts.port or 80)
            connection = connections.setdefault(address, _Connection(*address))
            started = time.perf_counter()
            try:
                status, cache = await connection.get(target)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                connections.pop(address)
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            result.cache[cache or "-"] += 1
            if status >= 400:
                result.errors += 1
        for connection in connections.values():
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


async def run_httpx(urls: Sequence[str], concurrency: int) -> Result:
    """The same with one shared ``httpx.AsyncClient`` (to show whether the client is the limit)."""
    result = Result()
    queue = iter(urls)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            for url in queue:
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    result.errors += 1
                    continue
                result.latencies.append(time.perf_counter() - started)
                result.statuses[response.status_code] += 1
                result.cache[response.headers.get("x-cache", "-")] += 1
                if response.status_code >= 400:
                    result.errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
    return result

"""Forwarding-client cost: the candidate HTTP clients of the gateway against one real query service.

Run: ``uv run python -m bench.gateway.clients``. Starts the query service (uvloop + httptools) on the
benchmark's data and sends 6,000 GETs of four cheap statistics with 50 concurrent callers through each
client in one process, as the gateway would: httpx behind an 8-slot semaphore (the old gateway), httpx
with 64 connections, aiohttp with 64, raw httpcore with 64. Prints req/s, p50 and the load average.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpcore
import httpx
import uvloop

from bench.gateway.stack import build_data, fast_server

PATHS = (
    "/get_count_platform/netflix",
    "/peliculas_mes/enero",
    "/get_contents/pg-13",
    "/peliculas_dia/lunes",
)
N, C = 6000, 50

Get = Callable[[str], Awaitable[bytes]]


async def run(name: str, get: Get) -> None:
    requests = iter(range(N))
    latencies: list[float] = []

    async def caller() -> None:
        for i in requests:
            started = time.perf_counter()
            await get(PATHS[i % len(PATHS)])
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(C)))
    seconds = time.perf_counter() - started
    latencies.sort()
    print(
        f"{name:24s} {N / seconds:7,.0f} req/s  p50 {latencies[len(latencies) // 2] * 1000:6.2f} ms"
        f"  load {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def limited(client: httpx.AsyncClient, slots: int) -> Get:
    """httpx with at most ``slots`` requests in flight (the others wait on a semaphore)."""
    semaphore = asyncio.Semaphore(slots)

    async def get(path: str) -> bytes:
        async with semaphore:
            return (await client.get(path)).content

    return get


async def measure(url: str) -> None:
    for slots in (8, 64):
        limits = httpx.Limits(max_connections=slots + 2, max_keepalive_connections=slots + 2)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:
            if slots == 8:
                await run("(warm-up)", limited(client, slots))
            await run(f"httpx, {slots} in flight", limited(client, slots))
    connector = aiohttp.TCPConnector(limit=64, limit_per_host=64)
    async with aiohttp.ClientSession(url, connector=connector) as session:

        async def aiohttp_get(path: str) -> bytes:
            async with session.get(path) as response:
                return await response.read()

        await run("aiohttp, 64 connections", aiohttp_get)
    async with httpcore.AsyncConnectionPool(max_connections=64) as pool:

        async def httpcore_get(path: str) -> bytes:
            return (await pool.request("GET", url + path)).content

        await run("httpcore, 64 connections", httpcore_get)


def main() -> None:
    processed, _ = build_data()
    env = {"PROCESSED_DIR": str(processed), "LOG_LEVEL": "WARNING"}
    query = fast_server("clients-query", "query.app:create_app", env)
    try:
        query.start()
        uvloop.run(measure(query.url))
    finally:
        query.stop()


if __name__ == "__main__":
    main()

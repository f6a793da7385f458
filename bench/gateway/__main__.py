"""Gateway benchmark: bounded load on loopback through the gateway (cached, uncached) and direct.

Run: ``uv run python -m bench.gateway [--requests 20000] [--concurrency 50] [--repeat 3]``. Starts
query, recommender and three gateways (embedded cache, Redis db 15, cache disabled) as uvicorn
processes (uvloop + httptools) on the ETL output and models of ../shared/data (built once into
bench/.cache), sends a mixed-route load, prints throughput, p50 and p99 per scenario, the gateway's
overhead against the services called directly, and PASS/FAIL against the targets: cached >= 8,000
req/s embedded and >= 5,000 with Redis, p99 <= 20 ms, no errors; uncached through the gateway >= 0.8x
the services' throughput, p50 added <= 5 ms.

Each scenario runs ``--repeat`` times and keeps its best run (highest throughput): the machine is
shared, and the best run is the closest to an idle one. The 1-minute load average at the end of each
kept run is printed beside its figures (a 2-core machine is busy above ~2), so a loaded machine is
visible rather than hidden. The uncached and direct runs alternate, so both sides see the same load.
"""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from urllib.parse import quote, urlencode

import numpy as np
import psutil
import uvloop

from bench.gateway.load import Result, run_httpx, run_raw
from bench.gateway.stack import build_data, fast_server
from tests.support.processes import delete_prefix
from tests.support.servers import UvicornServer

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
TARGET_RPS = {"memory": 8000.0, "redis": 5000.0}
TARGET_P99_MS = 20.0
TARGET_UNCACHED_RATIO, TARGET_ADDED_P50_MS = 0.8, 5.0

Params = Mapping[str, str | list[str]]
# Title search: prefix, words, typo, streaming (query service).
SEARCH: list[tuple[str, str, Params]] = [
    ("query", "/buscar", {"q": "toy sto"}),
    ("query", "/buscar", {"q": "matrix"}),
    ("query", "/buscar", {"q": "pulp ficton"}),
    ("query", "/buscar", {"q": "stranger", "catalogo": "streaming", "por_pagina": "10"}),
]
# The web page's own files, served by the gateway alone (no service behind them).
ASSETS = ["/", "/static/app.js", "/static/app.css", "/docs"]
# Mixed valid requests over every route (path, query); "query" or "recommender" serves each.
MIX: list[tuple[str, str, Params]] = [
    *SEARCH,
    ("query", "/titulos/862", {}),
    ("query", "/titulos/ns3686", {"catalogo": "streaming"}),
    ("recommender", "/titulos/862/recomendaciones", {"k": "5"}),
    ("recommender", "/recomendaciones", {"titulos": ["Toy Story", "Jumanji", "Aladdin"]}),
    *[("query", f"/peliculas_mes/{m}", {}) for m in ("enero", "Marzo", "julio", "diciembre")],
    *[("query", f"/peliculas_dia/{d}", {}) for d in ("lunes", "viernes", "sábado")],
    *[("query", f"/franquicia/{f}", {}) for f in ("Toy Story Collection", "James Bond Collection")],
    *[("query", f"/peliculas_pais/{p}", {}) for p in ("AR", "Francia", "United Kingdom")],
    *[("query", f"/productoras/{c}", {}) for c in ("Pixar Animation Studios", "Warner Bros.")],
    *[("query", f"/retorno/{t}", {}) for t in ("Toy Story", "Heat", "Jumanji")],
    ("query", "/retorno/Titanic", {"anio": "1997"}),
    *[
        ("query", f"/get_max_duration/{y}/{p}/min", {})
        for y, p in ((2018, "netflix"), (2019, "amazon"))
    ],
    *[
        ("query", f"/get_score_count/{p}/3.5/{y}", {})
        for p, y in (("netflix", 2018), ("disney", 2019))
    ],
    *[("query", f"/get_count_platform/{p}", {}) for p in ("netflix", "amazon", "disney", "hulu")],
    *[("query", f"/get_actor/{p}/{y}", {}) for p, y in (("netflix", 2018), ("amazon", 2020))],
    ("query", "/prod_per_county/movie/united states/2018", {}),
    ("query", "/prod_per_county/tv show/india/2020", {}),
    *[("query", f"/get_contents/{r}", {}) for r in ("pg-13", "tv-ma", "r")],
    *[("recommender", f"/get_recommendation/{t}", {}) for t in ("Toy Story", "Heat", "GoldenEye")],
    ("recommender", "/get_recommendation/toy story", {"catalogo": "streaming"}),
    *[("recommender", f"/recomendaciones/{t}", {"k": "10"}) for t in ("Jumanji", "Casino")],
]


def distinct(base: dict[str, str], mix: list[tuple[str, str, Params]] | None = None) -> list[str]:
    """Every request of ``mix`` (default :data:`MIX`) once; ``base`` maps a service to its base URL."""
    return [
        base[service] + quote(path) + (f"?{urlencode(params, doseq=True)}" if params else "")
        for service, path, params in (MIX if mix is None else mix)
    ]


def urls(
    base: dict[str, str], n: int, seed: int = 7, mix: list[tuple[str, str, Params]] | None = None
) -> list[str]:
    """``n`` URLs drawn from ``mix`` (default :data:`MIX`) with a fixed seed."""
    made = distinct(base, mix)
    return [made[i] for i in np.random.default_rng(seed).integers(0, len(made), size=n)]


def row(name: str, result: Result) -> list[str]:
    cache = ", ".join(f"{k} {v}" for k, v in sorted(result.cache.items()) if k != "-") or "-"
    return [
        name,
        f"{result.requests:,}",
        f"{result.throughput:,.0f}",
        f"{result.percentile(50):.2f}",
        f"{result.percentile(99):.2f}",
        str(result.errors),
        cache,
        f"{result.cpu_per_request * 1e6:,.0f}",
        f"{result.load:.2f}",
    ]


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds used so far by the processes ``pids``."""
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


async def best_of(repeat: int, run: Callable[[], Awaitable[Result]], pids: Sequence[int]) -> Result:
    """The run with the highest throughput of ``repeat``, with the load average at its end and the
    CPU time the server processes ``pids`` spent per request (which other load barely changes)."""
    best: Result | None = None
    for _ in range(repeat):
        before = cpu_seconds(pids)
        result = await run()
        result.cpu_per_request = (cpu_seconds(pids) - before) / max(1, result.requests)
        result.load = os.getloadavg()[0]
        if best is None or result.throughput > best.throughput:
            best = result
    assert best is not None
    return best


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


def verdict(result: Result, rps: float) -> str:
    ok = result.throughput >= rps and result.percentile(99) <= TARGET_P99_MS and result.errors == 0
    return "PASS" if ok else "FAIL"


async def measure(
    args: argparse.Namespace,
    services: dict[str, str],
    gateways: dict[str, str],
    pids: dict[str, list[int]],
) -> None:
    n, c, n_uncached, repeat = args.requests, args.concurrency, args.uncached_requests, args.repeat
    load_before = os.getloadavg()
    results: dict[str, Result] = {}
    for name in ("memory", "redis"):
        base = {"query": gateways[name], "recommender": gateways[name]}
        await run_raw(distinct(base), c)  # warm: every entry cached
        cached_run = partial(run_raw, urls(base, n), c)
        results[f"gateway cached ({name})"] = await best_of(repeat, cached_run, pids[name])
    memory = {"query": gateways["memory"], "recommender": gateways["memory"]}
    results["gateway cached (memory), httpx client"] = await best_of(
        1, lambda: run_httpx(urls(memory, n // 20), c), pids["memory"]
    )
    nocache = {"query": gateways["nocache"], "recommender": gateways["nocache"]}
    await run_raw(distinct(nocache) * 2, c)  # warm the services' own code paths
    uncached_runs: list[Result] = []
    direct_runs: list[Result] = []
    for _ in range(repeat):  # alternating, so both sides see the same machine
        through = partial(run_raw, urls(nocache, n_uncached), c)
        uncached_runs.append(await best_of(1, through, pids["nocache"]))
        straight = partial(run_raw, urls(services, n_uncached), c)
        direct_runs.append(await best_of(1, straight, pids["services"]))
    results["gateway uncached (CACHE_TTL=0)"] = max(uncached_runs, key=lambda r: r.throughput)
    results["services directly"] = max(direct_runs, key=lambda r: r.throughput)
    # Search alone: cached, uncached and direct, and the page's static files.
    results["/buscar cached (memory)"] = await best_of(
        repeat, partial(run_raw, urls(memory, n // 4, mix=SEARCH), c), pids["memory"]
    )
    results["/buscar uncached"] = await best_of(
        repeat, partial(run_raw, urls(nocache, n_uncached // 4, mix=SEARCH), c), pids["nocache"]
    )
    results["/buscar directly"] = await best_of(
        repeat, partial(run_raw, urls(services, n_uncached // 4, mix=SEARCH), c), pids["services"]
    )
    assets = [gateways["memory"] + ASSETS[i % len(ASSETS)] for i in range(n // 4)]
    results["page assets (gateway only)"] = await best_of(
        repeat, partial(run_raw, assets, c), pids["memory"]
    )

    print()
    print(
        f"Mixed load over {len(MIX)} distinct requests of every proxied route, {c} concurrent, loopback; "
        f"best of {repeat} runs per scenario."
    )
    print(
        f"load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)"
    )
    header = [
        "scenario",
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "X-Cache",
        "server CPU µs/req",
        "load 1m",
    ]
    print_table(header, [row(name, result) for name, result in results.items()])

    cached = results["gateway cached (memory)"]
    uncached = results["gateway uncached (CACHE_TTL=0)"]
    direct = results["services directly"]
    raw_vs_httpx = cached.throughput / results["gateway cached (memory), httpx client"].throughput
    print()
    print(
        f"client: the raw asyncio client sends {raw_vs_httpx:.1f}x the req/s of httpx on the same"
    )
    print("        cached load, so httpx would measure itself; the table uses the raw client.")
    ratio = uncached.throughput / direct.throughput
    added_p50 = uncached.percentile(50) - direct.percentile(50)
    print(
        f"gateway overhead, uncached vs direct: throughput x{ratio:.2f}, "
        f"p50 x{uncached.percentile(50) / direct.percentile(50):.2f} (+{added_p50:.2f} ms), "
        f"p99 x{uncached.percentile(99) / direct.percentile(99):.2f} "
        f"(load {uncached.load:.2f} / {direct.load:.2f})"
    )
    overhead_ok = ratio >= TARGET_UNCACHED_RATIO and added_p50 <= TARGET_ADDED_P50_MS
    print(
        f"target uncached (>= {TARGET_UNCACHED_RATIO:.1f}x direct req/s, p50 added <= "
        f"{TARGET_ADDED_P50_MS:.0f} ms): {'PASS' if overhead_ok else 'FAIL'}"
    )
    print(
        f"cache benefit, cached (memory) vs direct: throughput x{cached.throughput / direct.throughput:.2f}, "
        f"p50 x{cached.percentile(50) / direct.percentile(50):.2f}"
    )
    print()
    redis_cached = results["gateway cached (redis)"]
    print(
        f"target cached (p99 <= {TARGET_P99_MS:.0f} ms, 0 errors): embedded cache >= "
        f"{TARGET_RPS['memory']:,.0f} req/s {verdict(cached, TARGET_RPS['memory'])} "
        f"(load {cached.load:.2f}), Redis >= {TARGET_RPS['redis']:,.0f} req/s "
        f"{verdict(redis_cached, TARGET_RPS['redis'])} (load {redis_cached.load:.2f})"
    )
    print(f"errors on the uncached paths: gateway {uncached.errors}, direct {direct.errors}")
    print(
        "server CPU: the gateway's (direct: the services') user + system time per request, which other "
        "load changes much less than throughput;"
    )
    print(
        f"            one core at that cost answers {1 / cached.cpu_per_request:,.0f} req/s from the "
        f"embedded cache, {1 / redis_cached.cpu_per_request:,.0f} with Redis (its server's CPU not "
        f"counted), and forwards {1 / uncached.cpu_per_request:,.0f} req/s"
    )


def _pid(server: UvicornServer) -> int:
    assert server.proc is not None
    return server.proc.pid


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gateway", description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000, help="requests per cached run")
    parser.add_argument("--uncached-requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per scenario; the best one is kept"
    )
    args = parser.parse_args()

    processed, models = build_data()
    data = {"PROCESSED_DIR": str(processed), "MODEL_DIR": str(models), "LOG_LEVEL": "WARNING"}
    query = fast_server("query", "query.app:create_app", dict(data))
    recommender = fast_server("recommender", "recommender.app:create_app", dict(data))
    prefix = f"cinemateca-bench:{uuid.uuid4().hex}:"
    processes = [query, recommender]
    try:
        query.start()
        recommender.start()
        downstream = {
            "QUERY_URL": query.url,
            "RECOMMENDER_URL": recommender.url,
            "LOG_LEVEL": "WARNING",
        }
        gateways = {
            "memory": fast_server("gateway-memory", "gateway.app:create_app", dict(downstream)),
            "redis": fast_server(
                "gateway-redis",
                "gateway.app:create_app",
                {**downstream, "REDIS_URL": REDIS_URL, "CACHE_PREFIX": prefix},
            ),
            "nocache": fast_server(
                "gateway-nocache", "gateway.app:create_app", {**downstream, "CACHE_TTL": "0"}
            ),
        }
        for gateway in gateways.values():
            processes.append(gateway)
            gateway.start()
        services = {"query": query.url, "recommender": recommender.url}
        pids = {name: [_pid(g)] for name, g in gateways.items()}
        pids["services"] = [_pid(query), _pid(recommender)]
        # uvloop for the client too: the load generator must not be what is measured.
        uvloop.run(measure(args, services, {k: g.url for k, g in gateways.items()}, pids))
    finally:
        for process in reversed(processes):
            process.stop()
        delete_prefix(REDIS_URL, prefix)


if __name__ == "__main__":
    main()

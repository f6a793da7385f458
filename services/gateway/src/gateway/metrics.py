"""The gateway's own metrics: cache answers by result, cache size, downstream errors by kind.

Read at scrape time from counters the hot path keeps as plain integers (no lock, no label lookup).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from gateway.cache import CACHE_STATUSES, Cache, CacheStatus
from gateway.downstream import ERROR_KINDS, Downstream
from gateway.routes import Service


class GatewayCollector(Collector):
    """``cinemateca_cache_requests_total``, ``cinemateca_cache_size_bytes`` and
    ``cinemateca_downstream_errors_total``.

    The cache size is the embedded LRU's byte total (keys, content types and bodies), or with Redis
    the server's ``used_memory`` (INFO memory: everything that Redis holds, which for a Redis
    dedicated to the cache is the cache); it is read by :meth:`refresh` before each scrape, since
    Redis can only be asked asynchronously.
    """

    def __init__(self, downstreams: Mapping[Service, Downstream], cache: Cache) -> None:
        self.cache_results: Counter[CacheStatus] = Counter(dict.fromkeys(CACHE_STATUSES, 0))
        self._downstreams = downstreams
        self._cache = cache
        self._cache_bytes: float = float("nan")

    async def refresh(self) -> None:
        used = await self._cache.used_bytes()
        self._cache_bytes = float("nan") if used is None else float(used)

    def collect(self) -> Iterator[Metric]:
        results = CounterMetricFamily(
            "cinemateca_cache_requests",
            "Proxied requests by cache result (bypass: caching off, Redis down or no version known).",
            labels=["result"],
        )
        for result in CACHE_STATUSES:
            results.add_metric([result], self.cache_results[result])
        yield results
        yield GaugeMetricFamily(
            "cinemateca_cache_size_bytes",
            "Embedded cache: bytes of its entries; Redis: the server's used_memory (NaN when down).",
            value=self._cache_bytes,
        )
        errors = CounterMetricFamily(
            "cinemateca_downstream_errors",
            "Proxied requests that failed downstream: timeout, unreachable or HTTP 5xx.",
            labels=["downstream", "kind"],
        )
        for name, downstream in self._downstreams.items():
            for kind in ERROR_KINDS:
                errors.add_metric([name, kind], downstream.errors[kind])
        yield errors

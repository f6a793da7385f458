"""Prometheus metrics of one service: requests per route template, latency, in-flight, versions.

Every app builds its own :class:`HttpMetrics` (its own registry, so tests can build many apps in one
process); the request middleware in :mod:`cinemateca_common.web` feeds it and ``/metrics`` renders it.
Labels are bounded: ``route`` is the route template (``/peliculas_mes/{mes}``), never the raw path,
and every path that matches no route shares :data:`UNMATCHED`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.registry import Collector

UNMATCHED: Final = "<sin ruta>"
CONTENT_TYPE: Final = CONTENT_TYPE_LATEST
# From a cached gateway answer (~1 ms) to a downstream timeout (10 s).
BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_CONVERTER = re.compile(r"{(\w+):\w+}")

# The *_created series double every counter for a timestamp nobody charts.
disable_created_metrics()  # type: ignore[no-untyped-call]


def route_label(route: object) -> str:
    """The template of a matched route (``{titulo:path}`` shown as ``{titulo}``), else UNMATCHED."""
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    return _CONVERTER.sub(r"{\1}", path)


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class HttpMetrics:
    """The metrics every service exposes, in a registry of its own."""

    def __init__(self, service: str, version: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "cinemateca_http_requests",
            "HTTP requests answered, by route template and status class.",
            ["service", "method", "route", "status_class"],
            registry=self.registry,
        )
        self._duration = Histogram(
            "cinemateca_http_request_duration_seconds",
            "Time from request to the end of the answer, by route template.",
            ["service", "method", "route"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "cinemateca_http_requests_in_flight",
            "HTTP requests being handled now.",
            ["service"],
            registry=self.registry,
        ).labels(service)
        Gauge(
            "cinemateca_build_info",
            "Always 1; the labels name the service and its package version.",
            ["service", "version"],
            registry=self.registry,
        ).labels(service, version).set(1)
        self._data_versions: Gauge | None = None
        self._model_versions: Gauge | None = None
        # Children by label values: labels() takes a lock and builds a tuple on every call.
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._histograms: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._requests.labels(self.service, method, route, status_class(status))
            self._counters[(method, route, status)] = counter
        counter.inc()
        histogram = self._histograms.get((method, route))
        if histogram is None:
            histogram = self._duration.labels(self.service, method, route)
            self._histograms[(method, route)] = histogram
        histogram.observe(seconds)

    def data_versions(self, versions: Mapping[str, str]) -> None:
        """``cinemateca_data_version_info{edition,data_version} 1`` for each loaded edition."""
        if self._data_versions is None:
            self._data_versions = Gauge(
                "cinemateca_data_version_info",
                "Always 1; the labels name each edition's loaded data version.",
                ["edition", "data_version"],
                registry=self.registry,
            )
        _set_info(self._data_versions, versions)

    def model_versions(self, versions: Mapping[str, str]) -> None:
        """``cinemateca_model_version_info{edition,model_version} 1`` for each loaded model."""
        if self._model_versions is None:
            self._model_versions = Gauge(
                "cinemateca_model_version_info",
                "Always 1; the labels name each edition's loaded model version.",
                ["edition", "model_version"],
                registry=self.registry,
            )
        _set_info(self._model_versions, versions)

    def register(self, collector: Collector) -> None:
        """Add a service's own metrics (the gateway's cache and downstream counters)."""
        self.registry.register(collector)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric of this registry."""
        return generate_latest(self.registry)


def _set_info(gauge: Gauge, versions: Mapping[str, str]) -> None:
    gauge.clear()  # a reload with new versions must not leave the old ones behind
    for edition, version in sorted(versions.items()):
        gauge.labels(edition, version).set(1)

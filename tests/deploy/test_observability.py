"""Static checks of the observability files: deploy/prometheus.yml, deploy/grafana/ and the compose override.

Every metric and label the dashboard queries must be one the services export (the names agreed between
the services, below), every scrape target a real compose service on its real port, and every file the
override mounts must exist where Grafana and Prometheus look for it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest

from tests.deploy.conftest import REPO_ROOT, SERVICES, read_yaml

# The metrics the services export (prometheus-client), with their labels: the agreed contract.
METRICS: dict[str, set[str]] = {
    "cinemateca_http_requests_total": {"service", "method", "route", "status_class"},
    "cinemateca_http_request_duration_seconds": {"service", "method", "route"},
    "cinemateca_http_requests_in_flight": {"service"},
    "cinemateca_cache_requests_total": {"result"},
    "cinemateca_cache_size_bytes": set(),
    "cinemateca_downstream_errors_total": {"downstream", "kind"},
    "cinemateca_build_info": {"service", "version"},
    "cinemateca_data_version_info": {"edition", "data_version"},
    "cinemateca_model_version_info": {"edition", "model_version"},
}
HISTOGRAMS = {"cinemateca_http_request_duration_seconds"}
LABEL_VALUES = {
    "status_class": {"2xx", "3xx", "4xx", "5xx"},
    "result": {"hit", "miss", "bypass"},
    "kind": {"timeout", "unreachable", "5xx"},
}
# Labels Prometheus itself adds to every scraped series, and the histogram bucket bound.
TARGET_LABELS = {"job", "instance"}


@cache
def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (REPO_ROOT / "deploy" / "grafana" / "dashboards" / "cinemateca.json").read_text()
    )
    return data


def expressions() -> list[str]:
    """Every PromQL expression of the dashboard: panel targets and template variable queries."""
    found = [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]
    for variable in dashboard()["templating"]["list"]:
        query = variable["query"]
        found.append(query["query"] if isinstance(query, dict) else query)
    return found


METRIC = re.compile(r"\b(cinemateca_[a-z_]+)")
SELECTOR = re.compile(r"\b(cinemateca_[a-z_]+)\s*\{([^}]*)\}")
MATCHER = re.compile(r'([a-z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"')
GROUPING = re.compile(r"\b(?:by|without|ignoring|on)\s*\(([^)]*)\)")
LABEL_VALUES_FN = re.compile(r"label_values\(\s*(cinemateca_[a-z_]+)\s*,\s*([a-z_]+)\s*\)")


def _base(name: str) -> str:
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and name.removesuffix(suffix) in HISTOGRAMS:
            return name.removesuffix(suffix)
    return name


def test_dashboard_queries_only_exported_metrics_and_labels() -> None:
    used: set[str] = set()
    for expr in expressions():
        names = {_base(name) for name in METRIC.findall(expr)}
        assert names, expr
        unknown = names - set(METRICS)
        assert not unknown, f"{expr}: {unknown} are not exported metrics"
        used |= names
        allowed = set().union(*(METRICS[name] for name in names)) | TARGET_LABELS
        for raw_name, matchers in SELECTOR.findall(expr):
            name = _base(raw_name)
            for label, op, value in MATCHER.findall(matchers):
                bucket = raw_name.endswith("_bucket") and label == "le"
                assert label in METRICS[name] | TARGET_LABELS or bucket, (expr, label)
                if label in LABEL_VALUES and op == "=":
                    assert value in LABEL_VALUES[label], (expr, value)
                if label in LABEL_VALUES and op == "=~":
                    assert set(value.split("|")) <= LABEL_VALUES[label], (expr, value)
        for group in GROUPING.findall(expr):
            labels = {label.strip() for label in group.split(",") if label.strip()}
            extra = {"le"} if any(n in HISTOGRAMS for n in names) else set()
            assert labels <= allowed | extra, f"{expr}: {labels - allowed - extra} unknown"
        for name, label in LABEL_VALUES_FN.findall(expr):
            assert label in METRICS[name], expr
    # Request rate and latency per route, 5xx, cache hit ratio and bytes, downstream errors, in flight,
    # versions: every agreed metric has its panel.
    assert used == set(METRICS)
    text = " ".join(expressions())
    assert 'status_class="5xx"' in text
    assert 'result="hit"' in text
    assert "by (service, route)" in text
    assert "histogram_quantile(0.99" in text


def test_dashboard_is_valid_grafana_json_on_the_provisioned_datasource() -> None:
    board = dashboard()
    datasources = read_yaml("deploy/grafana/provisioning/datasources/prometheus.yml")["datasources"]
    datasource = datasources[0]
    assert datasource["type"] == "prometheus"
    assert board["uid"] == "cinemateca"
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": datasource["uid"]}
        assert panel["title"]
        assert panel["targets"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == datasource["uid"]
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24
    refs = [target["refId"] for panel in board["panels"] for target in panel["targets"]]
    assert all(re.fullmatch(r"[A-Z]", ref) for ref in refs)


def test_prometheus_scrapes_each_service_on_its_real_port() -> None:
    config = read_yaml("deploy/prometheus.yml")
    services = read_yaml("docker-compose.yml")["services"]
    targets: dict[str, str] = {}
    for job in config["scrape_configs"]:
        assert job.get("metrics_path", "/metrics") == "/metrics"
        for static in job["static_configs"]:
            for target in static["targets"]:
                host, _, port = target.partition(":")
                targets[host] = port
                assert job["job_name"] == host
    assert targets == {name: str(port) for name, port in SERVICES.items()}
    for name, port in targets.items():
        assert str(services[name]["environment"]["PORT"]) == port
        assert services[name]["healthcheck"]  # a real long-running service of the stack


def test_observability_override_mounts_what_exists_and_publishes_grafana_locally() -> None:
    override = read_yaml("docker-compose.observability.yml")
    base = read_yaml("docker-compose.yml")["services"]
    services = override["services"]
    assert set(services) == {"prometheus", "grafana"}
    assert not set(services) & set(base)  # adds, overrides nothing
    mounts: dict[str, dict[str, str]] = {}
    for name, svc in services.items():
        tag = svc["image"].partition(":")[2]
        assert tag, name
        assert tag != "latest", name
        mounts[name] = {}
        for spec in svc["volumes"]:
            source, target, *_ = spec.split(":")
            mounts[name][target] = source
            if source.startswith("./"):
                assert (REPO_ROOT / source).exists(), spec
                assert spec.endswith(":ro"), spec
            else:
                assert source in override["volumes"], spec
    assert mounts["prometheus"]["/etc/prometheus/prometheus.yml"] == "./deploy/prometheus.yml"
    assert "--config.file=/etc/prometheus/prometheus.yml" in services["prometheus"]["command"]
    provider = read_yaml("deploy/grafana/provisioning/dashboards/cinemateca.yml")["providers"][0]
    assert mounts["grafana"][provider["options"]["path"]] == "./deploy/grafana/dashboards"
    assert mounts["grafana"]["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    home = services["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home == f"{provider['options']['path']}/cinemateca.json"
    datasources = read_yaml("deploy/grafana/provisioning/datasources/prometheus.yml")["datasources"]
    datasource = datasources[0]
    assert datasource["url"] == "http://prometheus:9090"
    assert "ports" not in services["prometheus"]
    assert services["grafana"]["ports"] == ["127.0.0.1:${GRAFANA_PORT:-3000}:3000"]
    assert services["prometheus"]["depends_on"] == {"gateway": {"condition": "service_healthy"}}


@pytest.mark.parametrize(
    "path", ["deploy/prometheus.yml", "deploy/grafana/dashboards/cinemateca.json"]
)
def test_observability_files_are_documented(path: str) -> None:
    docs = (REPO_ROOT / "docs" / "deploy.md").read_text()
    assert path in docs
    assert "docker-compose.observability.yml" in docs

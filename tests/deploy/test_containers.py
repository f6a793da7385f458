"""Static checks of the container setup: hadolint, the Dockerfiles, docker-compose.yml and railway.json.

No Docker engine is needed: the files are parsed and every package, module, command, path and port they
name is checked against the workspace.
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy.conftest import REPO_ROOT, SERVICES, read_yaml
from tests.support.dockerfile import (
    Stage,
    copy_sources,
    emulate,
    read_dockerfile,
    run_in,
    stage_chain,
)

DOCKERFILES = {
    "query": REPO_ROOT / "services" / "query" / "Dockerfile",
    "recommender": REPO_ROOT / "services" / "recommender" / "Dockerfile",
    "gateway": REPO_ROOT / "services" / "gateway" / "Dockerfile",
    "jobs": REPO_ROOT / "etl" / "Dockerfile",
}
UV_IMAGE = re.compile(r"^ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+$")
PYTHON_IMAGE = re.compile(r"^python:3\.11\.\d+-slim(-\w+)?$")


# --- the workspace as the files declare it -----------------------------------------------------


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Member:
    name: str
    path: str  # relative to the repository root
    dependencies: frozenset[str]
    scripts: dict[str, str] = field(hash=False)


@cache
def members() -> dict[str, Member]:
    root = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    found: dict[str, Member] = {}
    for path in root["tool"]["uv"]["workspace"]["members"]:
        project = tomllib.loads((REPO_ROOT / path / "pyproject.toml").read_text())["project"]
        deps = frozenset(
            _normalize(re.split(r"[\[<>=!~ ;]", dep, maxsplit=1)[0])
            for dep in project["dependencies"]
        )
        found[_normalize(project["name"])] = Member(
            project["name"], path, deps, project.get("scripts", {})
        )
    return found


def closure(packages: set[str]) -> set[str]:
    """The packages plus every workspace member they depend on, transitively."""
    todo, seen = list(packages), set()
    while todo:
        name = _normalize(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        todo.extend(dep for dep in members()[name].dependencies if dep in members())
    return seen


def console_scripts(packages: set[str]) -> dict[str, str]:
    return {
        script: target for name in packages for script, target in members()[name].scripts.items()
    }


def resolve(target: str) -> object:
    """Import ``module:attr`` (or ``module.attr`` for console scripts) and return the attribute."""
    module, _, attr = target.partition(":")
    obj: object = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def synced_packages(stage: Stage) -> list[set[str]]:
    """The ``--package`` sets of each ``uv sync`` in the stage."""
    syncs = []
    for args in stage.all("RUN"):
        for command in args.split("&&"):
            if "uv sync" in command:
                syncs.append(set(re.findall(r"--package\s+([\w-]+)", command)))
    return syncs


def dockerignore_patterns() -> list[str]:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` (or a folder above it) out of the build context."""
    result = False
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        negate = pattern.startswith("!")
        body = pattern.lstrip("!")
        for prefix in prefixes:
            if fnmatch.fnmatch(prefix, body) or (
                body.startswith("**/") and fnmatch.fnmatch(prefix.split("/")[-1], body[3:])
            ):
                result = not negate
                break
    return result


# --- hadolint -----------------------------------------------------------------------------------


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_hadolint_clean(image: str) -> None:
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run(
        [str(hadolint), "--no-color", str(DOCKERFILES[image])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


# --- Dockerfiles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_images_are_pinned_multistage_and_non_root(image: str) -> None:
    stages = read_dockerfile(DOCKERFILES[image])
    # Railway rejects cache mounts whose id does not name the service, so the images use none.
    assert "--mount=type=cache" not in DOCKERFILES[image].read_text()
    names = {stage.name for stage in stages}
    assert {"builder", "runtime"} <= names
    runtime = stages[-1]
    assert runtime.name == "runtime"
    for stage in stages:
        assert PYTHON_IMAGE.match(stage.base) or stage.base in names, stage.base
    builder = next(stage for stage in stages if stage.name == "builder")
    uv_copies = [args for args in builder.all("COPY") if "astral-sh/uv" in args]
    assert len(uv_copies) == 1
    assert UV_IMAGE.match(copy_sources(uv_copies[0])[0]["from"])
    # The runtime stage holds no uv and no sources: only the virtual environment (and data folders).
    for args in runtime.all("COPY"):
        flags, sources = copy_sources(args)
        assert flags.get("from") in {"builder", "data"}, args
        assert sources in (["/app/.venv"], ["/data"]), args
    user = runtime.all("USER")
    assert user
    assert user[-1].split(":")[0] not in {"0", "root"}
    assert runtime.env()["PATH"].startswith("/app/.venv/bin:")


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_copy_sources_exist_and_are_in_the_build_context(image: str) -> None:
    for stage in read_dockerfile(DOCKERFILES[image]):
        for args in stage.all("COPY"):
            flags, sources = copy_sources(args)
            if "from" in flags:
                continue
            for source in sources:
                assert (REPO_ROOT / source).exists(), f"{image}: COPY {source}: no such path"
                assert not ignored(source), f"{image}: COPY {source} is excluded by .dockerignore"


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_synced_packages_are_members_with_their_sources_copied(image: str) -> None:
    stages = read_dockerfile(DOCKERFILES[image])
    copied: set[str] = set()
    manifests: set[str] = set()
    for stage in stages:
        for args in stage.all("COPY"):
            flags, sources = copy_sources(args)
            if "from" not in flags:
                copied.update(sources)
                manifests.update(source for source in sources if source.endswith("pyproject.toml"))
        for packages in synced_packages(stage):
            assert packages, f"{image}: a uv sync without --package"
            assert packages <= set(members()), (
                f"{image}: {packages - set(members())} are not workspace members"
            )
        last = synced_packages(stage)
        if last:
            # The final sync of the stage installs the packages, so their sources (and those of the
            # members they depend on) must have been copied by then.
            for name in closure(last[-1]):
                assert f"{members()[name].path}/src" in copied, (
                    f"{image}: {name}'s sources are not copied"
                )
    # Every member's pyproject.toml is present for `uv sync --locked` to check the lock file.
    expected = {"pyproject.toml"} | {f"{m.path}/pyproject.toml" for m in members().values()}
    assert expected <= {path.rstrip("/") for path in manifests} | {"pyproject.toml"}
    assert any("uv.lock" in args for args in stages[0].all("COPY"))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_command_port_and_healthcheck(service: str, run_stack: ModuleType) -> None:
    stages = read_dockerfile(DOCKERFILES[service])
    runtime = stages[-1]
    env = runtime.env()
    assert env["PORT"] == str(SERVICES[service])
    assert runtime.all("EXPOSE") == [str(SERVICES[service])]
    health = runtime.all("HEALTHCHECK")
    assert len(health) == 1
    assert "urllib.request" in health[0]
    # Liveness: what restart decisions (autoheal) act on; readiness is Railway's deploy gate.
    assert "'http://127.0.0.1:%s/health/live' % os.environ['PORT']" in health[0]
    cmd = json.loads(runtime.all("CMD")[0])
    assert isinstance(cmd, list)
    assert cmd[:2] == ["sh", "-c"]
    assert cmd[2].startswith("exec uvicorn ")
    argv = shlex.split(cmd[2])
    assert argv[1:4] == ["uvicorn", f"{service}.app:create_app", "--factory"]
    assert argv[argv.index("--port") + 1] == "$PORT"
    assert argv[argv.index("--host") + 1] == "$HOST"
    # The same server limits as `make run` (one definition: run_stack.SERVER_OPTIONS).
    options = run_stack.SERVER_OPTIONS
    start = argv.index(options[0])
    assert tuple(argv[start : start + len(options)]) == options
    local = run_stack.uvicorn_argv(f"{service}.app:create_app", "h", 1, access_log=False)
    assert ("--no-access-log" in argv) == (service != "gateway")
    assert set(argv[4:]) - {"$HOST", "$PORT"} <= set(local[3:]) - {"h", "1"}
    assert runtime.env()["LOG_FORMAT"] == "json"
    # The image's environment holds the package that the command serves, and it is an app factory.
    installed = closure(synced_packages(next(s for s in stages if s.name == "builder"))[-1])
    assert service in installed
    assert callable(resolve(f"{service}.app:create_app"))


def test_service_images_hold_only_what_they_import() -> None:
    for service in SERVICES:
        builder = next(s for s in read_dockerfile(DOCKERFILES[service]) if s.name == "builder")
        assert synced_packages(builder) == [{service}, {service}]
    jobs = read_dockerfile(DOCKERFILES["jobs"])
    assert synced_packages(jobs[0]) == [{"etl", "recommender"}, {"etl", "recommender"}]


def test_job_image_command_is_a_declared_console_script() -> None:
    stages = read_dockerfile(DOCKERFILES["jobs"])
    cmd = json.loads(stages[-1].all("CMD")[0])
    scripts = console_scripts(closure(synced_packages(stages[0])[-1]))
    assert cmd == ["etl", "all"]
    assert {"etl", "train"} <= set(scripts)
    for target in (scripts["etl"], scripts["train"]):
        assert callable(resolve(target))
    assert stages[-1].all("HEALTHCHECK") == ["NONE"]


def test_data_stages_run_the_jobs_of_their_service() -> None:
    for service, jobs in (("query", ["etl all"]), ("recommender", ["etl all", "train all"])):
        data = next(s for s in read_dockerfile(DOCKERFILES[service]) if s.name == "data")
        run = " ".join(data.all("RUN"))
        assert all(job in run for job in jobs)
        assert "fetch_raw_data.py" in run
        assert "ARG" in dict(data.instructions)
        packages = closure(
            synced_packages(
                next(s for s in read_dockerfile(DOCKERFILES[service]) if s.name == "jobs")
            )[-1]
        )
        assert {job.split()[0] for job in jobs} <= set(console_scripts(packages))


def test_dockerignore_keeps_data_and_tooling_out() -> None:
    for path in (
        "data/raw/movies/x.csv.gz",
        ".venv/bin/python",
        ".git/HEAD",
        "tests/conftest.py",
        "bench/__init__.py",
        "common/src/cinemateca_common/__pycache__/x.pyc",
        ".mypy_cache/x",
        "services/query/.venv/x",
    ):
        assert ignored(path), path
    for path in (
        "pyproject.toml",
        "uv.lock",
        "common/src",
        "etl/src",
        "services/query/src",
        "scripts/fetch_raw_data.py",
    ):
        assert not ignored(path), path


# --- docker-compose.yml -----------------------------------------------------------------------


LONG_RUNNING = ("redis", *SERVICES)


def _volumes(service: str) -> dict[str, tuple[str, str]]:
    """target -> (source, mode) of a service's short-syntax volumes (``${VAR:-default}`` sources kept)."""
    mounts = {}
    for spec in read_yaml("docker-compose.yml")["services"][service].get("volumes", []):
        parts = spec.split(":")
        mode = parts.pop() if parts[-1] in ("ro", "rw") else "rw"
        mounts[parts[-1]] = (":".join(parts[:-1]), mode)
    return mounts


def test_compose_topology() -> None:
    spec = read_yaml("docker-compose.yml")
    assert "version" not in spec
    services = spec["services"]
    assert set(services) == {"redis", "etl", "train", "query", "recommender", "gateway", "autoheal"}
    assert set(spec["volumes"]) == {"processed", "models"}
    depends = {
        name: {dep: cond["condition"] for dep, cond in svc.get("depends_on", {}).items()}
        for name, svc in services.items()
    }
    assert depends == {
        "redis": {},
        "etl": {},
        "train": {"etl": "service_completed_successfully"},
        "query": {"etl": "service_completed_successfully"},
        "recommender": {"train": "service_completed_successfully"},
        "gateway": {
            "redis": "service_healthy",
            "query": "service_healthy",
            "recommender": "service_healthy",
        },
        "autoheal": {},
    }
    for name in LONG_RUNNING:
        assert services[name]["healthcheck"]["test"][0] == "CMD"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    for job in ("etl", "train"):
        assert "healthcheck" not in services[job]
        assert services[job]["restart"] == "no"
    published = {name: svc["ports"] for name, svc in services.items() if "ports" in svc}
    assert published == {"gateway": ["${GATEWAY_PORT:-8000}:8000"]}


def _memory_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg])", value).groups()  # type: ignore[union-attr]
    return int(number) * {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


@pytest.mark.parametrize("path", ["docker-compose.yml", "docker-compose.observability.yml"])
def test_every_container_is_limited_and_locked_down(path: str) -> None:
    services = read_yaml(path)["services"]
    for name, svc in services.items():
        limits = svc["deploy"]["resources"]["limits"]
        assert 0 < float(limits["cpus"]) <= 2, name
        assert 32 << 20 <= _memory_bytes(limits["memory"]) <= 3 << 30, name
        assert svc["read_only"] is True, name
        assert svc["cap_drop"] == ["ALL"], name
        assert svc["security_opt"] == ["no-new-privileges:true"], name
        # A read-only root: /tmp is a size-bounded tmpfs (matplotlib, the credits parser, temp files).
        assert [t.split(":")[0] for t in svc["tmpfs"]] == ["/tmp"], name
        assert all(":size=" in t for t in svc["tmpfs"]), name
        if svc.get("restart") != "no":
            assert svc["restart"] == "unless-stopped", name
            if name != "autoheal":
                # Docker does not restart an unhealthy container: autoheal does, for these labels.
                assert svc["labels"]["autoheal"] == "true", name
                assert "healthcheck" in svc, name


def test_autoheal_restarts_the_labelled_unhealthy_containers() -> None:
    services = read_yaml("docker-compose.yml")["services"]
    autoheal = services["autoheal"]
    assert autoheal["image"].startswith("willfarrell/autoheal:")
    assert autoheal["image"].split(":")[1][0].isdigit()  # a pinned release, not latest
    assert autoheal["environment"]["AUTOHEAL_CONTAINER_LABEL"] == "autoheal"
    assert autoheal["volumes"] == ["/var/run/docker.sock:/var/run/docker.sock:ro"]
    labelled = {name for name, svc in services.items() if svc.get("labels", {}).get("autoheal")}
    assert labelled == set(LONG_RUNNING)
    # The redis image switches to its own user only as root; without capabilities it runs as it.
    assert services["redis"]["user"] == "999:1000"
    docs = (REPO_ROOT / "docs" / "deploy.md").read_text()
    assert "autoheal" in docs


def test_compose_volumes_and_data_mount() -> None:
    raw = ("${DATA_DIR:-./data/raw}", "ro")
    assert _volumes("etl") == {"/data/raw": raw, "/data/processed": ("processed", "rw")}
    assert _volumes("train") == {
        "/data/raw": raw,
        "/data/processed": ("processed", "ro"),
        "/data/models": ("models", "rw"),
    }
    assert _volumes("query") == {"/data/processed": ("processed", "ro")}
    assert _volumes("recommender") == {
        "/data/processed": ("processed", "ro"),
        "/data/models": ("models", "ro"),
    }
    assert _volumes("gateway") == {}
    # Each service is told where its volumes are, through the variables its Settings reads.
    for name in ("etl", "train", "query", "recommender"):
        env = read_yaml("docker-compose.yml")["services"][name]["environment"]
        for variable, target in (
            ("DATA_DIR", "/data/raw"),
            ("PROCESSED_DIR", "/data/processed"),
            ("MODEL_DIR", "/data/models"),
        ):
            if target in _volumes(name):
                assert env[variable] == target, (name, variable)


def test_compose_builds_and_commands_exist() -> None:
    services = read_yaml("docker-compose.yml")["services"]
    for name, dockerfile in (("etl", "jobs"), ("train", "jobs"), *((s, s) for s in SERVICES)):
        build = services[name]["build"]
        assert build["context"] == "."
        assert REPO_ROOT / build["dockerfile"] == DOCKERFILES[dockerfile]
    stages = read_dockerfile(DOCKERFILES["jobs"])
    scripts = console_scripts(closure(synced_packages(stages[0])[-1]))
    for job in ("etl", "train"):
        command = services[job]["command"]
        assert command == [job, "all"]
        assert command[0] in scripts
        assert callable(resolve(scripts[command[0]]))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_compose_env_matches_settings_and_ports(service: str) -> None:
    svc = read_yaml("docker-compose.yml")["services"][service]
    env = {key: str(value) for key, value in svc["environment"].items()}
    port = SERVICES[service]
    assert env["PORT"] == str(port)
    assert (
        f"urlopen('http://127.0.0.1:{port}/health/live', timeout=4)"
        in svc["healthcheck"]["test"][-1]
    )
    settings = resolve(f"{service}.config:Settings")
    fields = {name.upper() for name in settings.model_fields}  # type: ignore[attr-defined]
    assert set(env) - {"PORT"} <= fields, (
        f"{service}: {set(env) - {'PORT'} - fields} are not Settings fields"
    )


def test_compose_gateway_urls_point_at_the_services() -> None:
    services = read_yaml("docker-compose.yml")["services"]
    env = services["gateway"]["environment"]
    assert env["QUERY_URL"] == f"http://query:{services['query']['environment']['PORT']}"
    assert (
        env["RECOMMENDER_URL"]
        == f"http://recommender:{services['recommender']['environment']['PORT']}"
    )
    assert env["REDIS_URL"].startswith("redis://redis:6379")


# --- Railway ------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_railway_config(service: str) -> None:
    path = REPO_ROOT / "services" / service / "railway.json"
    config = json.loads(path.read_text())
    assert config["build"]["builder"] == "DOCKERFILE"
    assert REPO_ROOT / config["build"]["dockerfilePath"] == DOCKERFILES[service]
    # Railway's healthcheck gates a deployment: readiness (data and model loaded; the gateway can serve).
    assert config["deploy"]["healthcheckPath"] == "/health/ready"
    assert config["deploy"]["restartPolicyType"] in {"ON_FAILURE", "ALWAYS"}
    docs = (REPO_ROOT / "docs" / "deploy.md").read_text()
    assert f"services/{service}/railway.json" in docs


# --- the build steps, run without Docker ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_build_steps_produce_a_working_environment(image: str, tmp_path: Path) -> None:
    stages = read_dockerfile(DOCKERFILES[image])
    has_jobs = any(stage.name == "jobs" for stage in stages)
    emulate(stage_chain(stages, "jobs" if has_jobs else "builder"), tmp_path)
    venv = tmp_path / "app" / ".venv"
    builder_env = next(s for s in stages if s.name == "builder").env()
    assert builder_env["UV_PROJECT_ENVIRONMENT"] == "/app/.venv"
    # Installed as packages, not editable links into the sources: the runtime stage needs only the venv.
    for sources in ("common", "etl", "services"):
        shutil.rmtree(tmp_path / "app" / sources)
    if image == "jobs":
        for script in ("etl", "train"):
            assert (venv / "bin" / script).is_file()
        run_in(venv, "import etl.cli, recommender.train")
        return
    probe = (
        f"import importlib.util as u; from {image}.app import create_app; assert callable(create_app); "
        "print(sorted(m for m in ('sklearn', 'matplotlib', 'redis', 'httpx', 'aiohttp') if u.find_spec(m)))"
    )
    found = run_in(venv, probe).strip()
    expected = {"query": "[]", "recommender": "['sklearn']", "gateway": "['aiohttp', 'redis']"}[
        image
    ]
    assert found == expected
    if has_jobs:
        # The data stage's job environment has the console scripts its RUN step calls.
        jobs_venv = tmp_path / "jobs" / ".venv"
        assert (jobs_venv / "bin" / "etl").is_file()
        assert (jobs_venv / "bin" / "train").is_file() == (image == "recommender")
        run_in(jobs_venv, "import etl.cli")

"""A small Dockerfile reader and emulator for the static container checks (no Docker engine needed).

:func:`read_dockerfile` parses stages and instructions; :func:`emulate` replays a chain of stages' COPY,
ENV, WORKDIR and ``uv sync`` steps under a folder standing for ``/``, so the tests can check that an
image's build steps give a working environment.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for key, args in self.instructions if key == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for args in self.all("ENV"):
            for token in shlex.split(args):
                key, _, value = token.partition("=")
                values[key] = value
        return values


def read_dockerfile(path: Path) -> list[Stage]:
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            parts = args.split()
            stages.append(
                Stage(parts[0], parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None)
            )
        else:
            stages[-1].instructions.append((keyword, args))
    return stages


def copy_sources(args: str) -> tuple[dict[str, str], list[str]]:
    tokens = shlex.split(args)
    flags = dict(token[2:].partition("=")[::2] for token in tokens if token.startswith("--"))
    paths = [token for token in tokens if not token.startswith("--")]
    return flags, paths[:-1]


def stage_chain(stages: list[Stage], name: str) -> list[Stage]:
    """The stage ``name`` preceded by the stages it is built FROM."""
    by_name = {stage.name: stage for stage in stages}
    chain = [by_name[name]]
    while chain[0].base in by_name:
        chain.insert(0, by_name[chain[0].base])
    return chain


def emulate(stages: list[Stage], root: Path) -> dict[str, str]:
    """Run the COPY, ENV, WORKDIR and ``uv`` RUN steps of ``stages`` under ``root`` (for ``/``).

    The uv image and cache mounts are left out: the uv found on PATH runs with its own cache.
    Returns the final environment variables (paths rewritten under ``root``).
    """
    env = {"UV_PYTHON_DOWNLOADS": "0"}
    workdir = root
    for stage in stages:
        for keyword, args in stage.instructions:
            if keyword == "WORKDIR":
                workdir = root / args.lstrip("/")
                workdir.mkdir(parents=True, exist_ok=True)
            elif keyword == "ENV":
                for key, value in Stage("", None, [("ENV", args)]).env().items():
                    env[key] = str(root / value.lstrip("/")) if value.startswith("/") else value
            elif keyword == "COPY":
                flags, sources = copy_sources(args)
                if "from" in flags:
                    continue
                target = shlex.split(args)[-1]
                for source in sources:
                    destination = (
                        workdir / target
                        if not target.startswith("/")
                        else root / target.lstrip("/")
                    )
                    if target.endswith("/") or len(sources) > 1:
                        destination = destination / Path(source).name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    if (REPO_ROOT / source).is_dir():
                        shutil.copytree(
                            REPO_ROOT / source,
                            destination,
                            ignore=shutil.ignore_patterns("__pycache__"),
                        )
                    else:
                        shutil.copy2(REPO_ROOT / source, destination)
            elif keyword == "RUN" and "uv sync" in args:
                command = " ".join(
                    token for token in shlex.split(args) if not token.startswith("--mount=")
                )
                # Hard links and no bytecode: the same environment, built faster than in an image.
                env_vars = {
                    **os.environ,
                    **env,
                    "UV_LINK_MODE": "hardlink",
                    "UV_COMPILE_BYTECODE": "0",
                }
                env_vars.pop("VIRTUAL_ENV", None)
                env_vars.pop(
                    "UV_NO_CACHE", None
                )  # the images download; here the local cache serves
                result = subprocess.run(
                    command,
                    shell=True,
                    cwd=workdir,
                    env=env_vars,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
                assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
    return env


def run_in(venv: Path, code: str) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout

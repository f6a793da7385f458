"""The stack as processes on loopback, for the benchmark: data and models built once into bench/.cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cinemateca_common.contract import EDITIONS

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache" / "gateway"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_data() -> tuple[Path, Path]:
    """ETL output and models of the real shared data in bench/.cache (rebuilt only when stale)."""
    from etl.config import Settings as EtlSettings  # noqa: PLC0415  (heavy: only when building)
    from etl.pipeline import run_edition  # noqa: PLC0415
    from recommender.config import Settings as RecommenderSettings  # noqa: PLC0415
    from recommender.train import train_edition  # noqa: PLC0415

    data_dir = Path(os.environ.get("DATA_DIR", "../shared/data"))
    data_dir = data_dir if data_dir.is_absolute() else (ROOT / data_dir).resolve()
    processed, models = CACHE / "processed", CACHE / "models"
    # Both steps skip the work when their inputs and parameters are unchanged.
    print(f"ETL of {data_dir} into {processed}, training into {models} ...", flush=True)
    for edition in EDITIONS:
        run_edition(edition, EtlSettings(data_dir=data_dir, processed_dir=processed))
        train_edition(edition, RecommenderSettings(processed_dir=processed, model_dir=models))
    return processed, models


@dataclass
class Process:
    """One uvicorn server (uvloop + httptools, no access log), stopped by :meth:`stop`."""

    name: str
    factory: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (CACHE / f"{self.name}.log").open("wb")
        command = [sys.executable, "-m", "uvicorn", self.factory, "--factory", "--host"]
        command += ["127.0.0.1", "--port", str(self.port), "--no-access-log"]
        command += ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning"]
        self.proc = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start: see {CACHE / (self.name + '.log')}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

"""uvicorn servers as child processes on loopback: one implementation for the benchmarks and the tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class UvicornServer:
    """One ``uvicorn <factory> --factory`` process, restartable with other settings on the same port.

    Output goes to ``logs/<name>.log`` (appended across restarts); the process runs in its own session.
    ``start`` waits until ``ready_path`` answers 200 (``/health/ready`` for a gateway that may start
    with a service down; ``/health`` requires everything up).
    """

    name: str
    factory: str
    env: dict[str, str]
    logs: Path
    extra_args: tuple[str, ...] = ()
    ready_path: str = "/health"
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    paused: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.logs / f"{self.name}.log"

    def start(self, **env: str) -> None:
        """Start with ``env`` added to the settings, and wait until ``ready_path`` answers 200."""
        self.env.update(env)
        command = [sys.executable, "-m", "uvicorn", self.factory, "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"]
        command += self.extra_args
        with self.log_file.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                break
            try:
                if httpx.get(self.url + self.ready_path, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        tail = self.log_file.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.name} did not become healthy on {self.url}:\n{tail}")

    def pause(self) -> None:
        """SIGSTOP: the process hangs, its socket still accepts connections (kernel backlog)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)
        self.paused = False

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.paused:
            self.resume()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

"""Local stack supervisor: run the ETL and the training, then serve query, recommender and gateway.

Run it as ``make run`` (``uv run --frozen python scripts/run_stack.py``). Configuration comes from the
environment: ``DATA_DIR``, ``PROCESSED_DIR``, ``MODEL_DIR``, ``HOST``, ``QUERY_PORT``,
``RECOMMENDER_PORT``, ``GATEWAY_PORT``, ``REDIS_URL``, ``STARTUP_TIMEOUT`` (seconds), ``RESTART_MAX``
and ``RESTART_WINDOW`` (seconds).

Each child runs in its own process group, so a Ctrl-C in the terminal reaches only this supervisor,
which then stops every group it started (SIGTERM, then SIGKILL after a grace period): a service that
forked helpers leaves nothing behind.

Once the stack is up, a service that exits (a crash, ``kill -9``) or stops answering ``/health/live``
several probes in a row (hung, e.g. ``SIGSTOP``) is killed and restarted after an exponential backoff,
while the other services keep serving. More than ``RESTART_MAX`` restarts of one service within
``RESTART_WINDOW`` seconds stop the whole stack with exit code 1.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO, TypeVar

import redis

from cinemateca_common.contract import EDITIONS

_N = TypeVar("_N", int, float)

REPO_ROOT = Path(__file__).resolve().parents[1]
LOG_TAIL = 20
NAME_WIDTH = 12
READY_POLL = 0.5  # seconds between readiness polls of a starting service


class StackError(Exception):
    """A problem the user can fix (missing data folder, port in use, ...): one clear line."""


@dataclass(frozen=True)
class StackConfig:
    """Everything the stack reads from the environment, with local defaults."""

    data_dir: Path
    processed_dir: Path
    model_dir: Path
    host: str = "127.0.0.1"
    query_port: int = 8001
    recommender_port: int = 8002
    gateway_port: int = 8000
    redis_url: str | None = None
    startup_timeout: float = 180.0
    stop_grace: float = 10.0
    restart_max: int = 5
    restart_window: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: Path) -> StackConfig:
        """Read the configuration; relative paths are taken from ``cwd``; bad values raise StackError."""

        def path(name: str, default: str) -> Path:
            value = Path(env.get(name) or default).expanduser()
            return value if value.is_absolute() else (cwd / value).resolve()

        return cls(
            data_dir=path("DATA_DIR", "data/raw"),
            processed_dir=path("PROCESSED_DIR", "data/processed"),
            model_dir=path("MODEL_DIR", "data/models"),
            host=env.get("HOST") or "127.0.0.1",
            query_port=_port(env, "QUERY_PORT", 8001),
            recommender_port=_port(env, "RECOMMENDER_PORT", 8002),
            gateway_port=_port(env, "GATEWAY_PORT", 8000),
            redis_url=env.get("REDIS_URL") or None,
            startup_timeout=_seconds(env, "STARTUP_TIMEOUT", 180.0),
            restart_max=_count(env, "RESTART_MAX", 5),
            restart_window=_seconds(env, "RESTART_WINDOW", 300.0),
        )

    def restart_policy(self) -> RestartPolicy:
        """How the supervisor restarts a crashed or hung service of this stack."""
        return RestartPolicy(
            max_restarts=self.restart_max,
            window=self.restart_window,
            ready_timeout=self.startup_timeout,
        )


def _from_env(
    env: Mapping[str, str],
    name: str,
    default: _N,
    convert: Callable[[str], _N],
    *,
    valid: Callable[[_N], bool],
    not_a: str,
    out_of_range: str,
) -> _N:
    """``env[name]`` converted and checked, ``default`` when unset or empty; StackError naming it."""
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = convert(raw)
    except ValueError:
        raise StackError(f"{name}={raw!r} {not_a}") from None
    if not valid(value):
        raise StackError(f"{name}={raw!r} {out_of_range}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    bad = "is not a port number (1-65535)"
    return _from_env(
        env, name, default, int, valid=lambda v: 1 <= v <= 65535, not_a=bad, out_of_range=bad
    )


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    return _from_env(
        env,
        name,
        default,
        int,
        valid=lambda v: v >= 0,
        not_a="is not a whole number",
        out_of_range="must be 0 or more",
    )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    return _from_env(
        env,
        name,
        default,
        float,
        valid=lambda v: v > 0,
        not_a="is not a number of seconds",
        out_of_range="must be a positive number of seconds",
    )


@dataclass(frozen=True)
class RestartPolicy:
    """When and how often a service that crashed or hung is restarted.

    The n-th restart within ``window`` seconds waits ``min(backoff_initial * 2**(n-1), backoff_max)``
    seconds; restart number ``max_restarts + 1`` within the window gives up and stops the stack. A service
    is hung when ``live_failures`` liveness probes in a row fail or take longer than ``live_timeout``.
    """

    max_restarts: int = 5
    window: float = 300.0
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    live_interval: float = 2.0
    live_timeout: float = 2.0
    live_failures: int = 3
    ready_timeout: float = 180.0

    def backoff(self, restarts: int) -> float:
        """Seconds to wait before restart number ``restarts`` (1-based) of the current window."""
        return float(min(self.backoff_initial * 2 ** (restarts - 1), self.backoff_max))


@dataclass(frozen=True)
class Command:
    """One child process: a name for its log prefix, its argv, its environment and probe URLs.

    ``ready_url`` answers 200 once the service can serve (startup waits for it); ``live_url`` answers
    200 while its process runs and its loop answers (the supervisor restarts it when it stops doing so).
    """

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    ready_url: str | None = None
    port: int | None = None
    live_url: str | None = None


def connect_host(host: str) -> str:
    """The address to reach a server bound to ``host`` (a wildcard bind is reached on loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def http_base(host: str, port: int) -> str:
    """``http://host:port`` with IPv6 literals bracketed."""
    target = connect_host(host)
    return f"http://[{target}]:{port}" if ":" in target else f"http://{target}:{port}"


def redact(url: str) -> str:
    """The URL with any password replaced by ``***``, for log lines."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """True when the Redis server at ``url`` answers a PING within ``timeout`` seconds."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


def port_free(host: str, port: int) -> bool:
    """True when a server could bind ``host:port`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def check_data_dir(data_dir: Path) -> None:
    """Raise StackError unless ``data_dir`` holds the raw ``movies/`` and ``streaming/`` folders."""
    if not data_dir.is_dir():
        raise StackError(
            f"DATA_DIR {data_dir} does not exist: set DATA_DIR to the folder holding movies/ and streaming/"
        )
    missing = [name for name in EDITIONS if not (data_dir / name).is_dir()]
    if missing:
        raise StackError(f"DATA_DIR {data_dir} has no {' or '.join(missing)}/ folder")


def check_ports(commands: Sequence[Command], host: str) -> None:
    """Raise StackError naming the first service whose port is already taken."""
    seen: dict[int, str] = {}
    for command in commands:
        if command.port is None:
            continue
        if command.port in seen:
            raise StackError(
                f"{command.name} and {seen[command.port]} are both set to port {command.port}"
            )
        seen[command.port] = command.name
        if not port_free(host, command.port):
            variable = f"{command.name.upper()}_PORT"
            raise StackError(
                f"port {command.port} ({command.name}) on {host} is already in use: "
                f"stop what listens there or set {variable}"
            )


def console_script(name: str) -> str:
    """Path of a console script installed beside this interpreter (``etl``, ``train``)."""
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        raise StackError(
            f"console script {name!r} not found beside {sys.executable}: run `uv sync`"
        )
    return str(path)


def job_commands(config: StackConfig) -> list[Command]:
    """The ETL then the training; both skip themselves when their inputs are unchanged."""
    env = {
        "DATA_DIR": str(config.data_dir),
        "PROCESSED_DIR": str(config.processed_dir),
        "MODEL_DIR": str(config.model_dir),
    }
    return [
        Command("etl", (console_script("etl"), "all"), env),
        Command("train", (console_script("train"), "all"), env),
    ]


# What one client can make a server hold: uvicorn's httptools protocol with the request line and
# headers bounded in bytes (431 past 32 kB; plain httptools has no bound) and in time (env
# HTTP_HEADER_TIMEOUT, default 10 s), idle keep-alive connections closed after 5 s, and at most 500
# connections in progress (more get a 503). The services' Dockerfiles pass these same options (compose
# uses the images' CMD); tests/deploy/test_containers.py checks that they match this tuple.
SERVER_OPTIONS: tuple[str, ...] = (
    "--http",
    "cinemateca_common.server:BoundedHttpToolsProtocol",
    "--h11-max-incomplete-event-size",
    "32768",
    "--timeout-keep-alive",
    "5",
    "--limit-concurrency",
    "500",
)


def uvicorn_argv(target: str, host: str, port: int, *, access_log: bool = True) -> tuple[str, ...]:
    """Serve the app factory ``target`` (``pkg.app:create_app``) with uvicorn under this interpreter."""
    argv = (
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--factory",
        "--host",
        host,
        "--port",
        str(port),
        *SERVER_OPTIONS,
    )
    return argv if access_log else (*argv, "--no-access-log")


def service_commands(config: StackConfig, redis_url: str | None) -> list[Command]:
    """query, recommender and gateway, wired to each other by URL; ``redis_url`` None = embedded cache."""
    query_base = http_base(config.host, config.query_port)
    recommender_base = http_base(config.host, config.recommender_port)
    gateway_base = http_base(config.host, config.gateway_port)
    gateway_env = {
        "QUERY_URL": query_base,
        "RECOMMENDER_URL": recommender_base,
        "GATEWAY_PORT": str(config.gateway_port),
        "REDIS_URL": redis_url,
    }
    paths = {"PROCESSED_DIR": str(config.processed_dir), "MODEL_DIR": str(config.model_dir)}
    # No access log behind the gateway: it would print the gateway's health polls and repeat every
    # request already in the gateway's access log, which is the request log of the stack.
    return [
        Command(
            "query",
            uvicorn_argv("query.app:create_app", config.host, config.query_port, access_log=False),
            {"PROCESSED_DIR": paths["PROCESSED_DIR"]},
            f"{query_base}/health/ready",
            config.query_port,
            f"{query_base}/health/live",
        ),
        Command(
            "recommender",
            uvicorn_argv(
                "recommender.app:create_app",
                config.host,
                config.recommender_port,
                access_log=False,
            ),
            paths,
            f"{recommender_base}/health/ready",
            config.recommender_port,
            f"{recommender_base}/health/live",
        ),
        Command(
            "gateway",
            uvicorn_argv("gateway.app:create_app", config.host, config.gateway_port),
            {key: value for key, value in gateway_env.items() if value is not None},
            f"{gateway_base}/health/ready",
            config.gateway_port,
            f"{gateway_base}/health/live",
        ),
    ]


def child_env(
    base: Mapping[str, str], extra: Mapping[str, str], drop: Sequence[str] = ()
) -> dict[str, str]:
    """The environment of a child: ``base`` plus ``extra``, without ``drop``, unbuffered text logs."""
    env = {key: value for key, value in base.items() if key not in drop}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    # One console, one format: the supervisor prefixes every line with the child's name.
    env["LOG_FORMAT"] = "text"
    return env


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``GET url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Child:
    """A started child process in its own process group, its output copied with a name prefix."""

    def __init__(self, command: Command, env: Mapping[str, str], out: TextIO, lock: threading.Lock):
        self.command = command
        self.env = dict(env)
        self.tail: collections.deque[str] = collections.deque(maxlen=LOG_TAIL)
        self.process = subprocess.Popen(
            command.argv,
            env=dict(env),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
            start_new_session=True,
        )
        self._out = out
        self._lock = lock
        self._reader = threading.Thread(
            target=self._copy_output, name=f"log-{command.name}", daemon=True
        )
        self._reader.start()

    @property
    def name(self) -> str:
        return self.command.name

    @property
    def pid(self) -> int:
        return self.process.pid

    def _copy_output(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as stream:
            for line in stream:
                text = line.rstrip("\n")
                self.tail.append(text)
                with self._lock:
                    self._out.write(f"{self.name:<{NAME_WIDTH}}| {text}\n")
                    self._out.flush()

    def finish_output(self, timeout: float = 2.0) -> None:
        """Wait for the last lines of a finished child to be copied."""
        self._reader.join(timeout)

    def exit_code(self) -> int | None:
        return self.process.poll()

    def group_alive(self) -> bool:
        """True while any process of the child's group (the child or what it forked) is alive."""
        self.process.poll()
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signum)

    def last_lines(self) -> str:
        return "\n".join(f"    {line}" for line in self.tail) or "    (no output)"


@dataclass
class _Watched:
    """The supervisor's view of one running service: its phase, probe failures and recent restarts."""

    child: Child
    phase: str = "running"  # running | starting (restarted, not ready yet) | waiting (backoff)
    since: float = 0.0  # when the current phase began
    restart_at: float = 0.0
    next_probe: float = 0.0
    failures: int = 0
    restarts: collections.deque[float] = field(default_factory=collections.deque)


class Supervisor:
    """Starts children, waits for them, restarts crashed or hung services, and stops every group."""

    def __init__(
        self,
        out: TextIO = sys.stdout,
        stop_grace: float = 10.0,
        policy: RestartPolicy | None = None,
    ) -> None:
        self.out = out
        self.stop_grace = stop_grace
        self.policy = policy or RestartPolicy()
        self.children: list[Child] = []
        self.stop_requested = threading.Event()
        self.force_stop = threading.Event()
        self.stop_reason = ""
        self._lock = threading.Lock()

    def say(self, message: str) -> None:
        with self._lock:
            self.out.write(f"{'stack':<{NAME_WIDTH}}| {message}\n")
            self.out.flush()

    def request_stop(self, reason: str) -> None:
        """Ask the supervisor to stop (from a signal handler or a test); asked twice, it kills at once."""
        if self.stop_requested.is_set():
            self.force_stop.set()
        self.stop_reason = reason
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        def handler(signum: int, _frame: FrameType | None) -> None:
            self.request_stop(signal.Signals(signum).name)

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def start(self, command: Command, env: Mapping[str, str]) -> Child:
        child = Child(command, env, self.out, self._lock)
        self.children.append(child)
        return child

    def run_job(self, command: Command, env: Mapping[str, str]) -> bool:
        """Run a one-shot command to completion; False if a stop was requested meanwhile."""
        child = self.start(command, env)
        while child.exit_code() is None:
            if self.stop_requested.wait(0.1):
                return False
        child.finish_output()
        code = child.exit_code()
        if code != 0:
            shown = " ".join((Path(command.argv[0]).name, *command.argv[1:]))
            raise StackError(
                f"{command.name} failed with exit code {code}: `{shown}` (its output is above)"
            )
        self.children.remove(child)
        return True

    def wait_healthy(self, children: Sequence[Child], timeout: float) -> bool:
        """Wait until every child's readiness URL answers 200; False if a stop was requested.

        Raises StackError naming the child that died or did not come up in time, with its last lines.
        """
        deadline = time.monotonic() + timeout
        pending = [child for child in children if child.command.ready_url]
        while pending:
            for child in list(pending):
                code = child.exit_code()
                if code is not None:
                    child.finish_output()
                    raise StackError(
                        f"{child.name} exited with code {code} before it was ready; its last lines:\n"
                        + child.last_lines()
                    )
                assert child.command.ready_url is not None
                if healthy(child.command.ready_url):
                    self.say(f"{child.name} is ready at {child.command.ready_url}")
                    pending.remove(child)
            if not pending:
                break
            if time.monotonic() > deadline:
                child = pending[0]
                raise StackError(
                    f"{child.name} did not answer {child.command.ready_url} with 200 within {timeout:g} s "
                    f"(set STARTUP_TIMEOUT to wait longer); its last lines:\n" + child.last_lines()
                )
            if self.stop_requested.wait(READY_POLL):  # each poll is a request the service may log
                return False
        return True

    def watch(self) -> int:
        """Keep the running children up until a stop is requested (0) or one fails too often (1).

        A child that exits, or whose liveness URL fails ``policy.live_failures`` probes in a row, is
        killed (its whole process group) and started again after a backoff; the others keep running.
        """
        now = time.monotonic()
        watched = [_Watched(child, since=now, next_probe=now) for child in self.children]
        while not self.stop_requested.wait(0.25):
            for item in watched:
                failure = self._check(item, time.monotonic())
                if failure is not None and not self._schedule_restart(item, failure):
                    return 1
        self.say(f"received {self.stop_reason or 'stop'}; stopping the stack")
        return 0

    def _check(self, item: _Watched, now: float) -> str | None:
        """Advance one child's state; a description of its failure when it must be restarted."""
        policy = self.policy
        if item.phase == "waiting":
            if now >= item.restart_at:
                self._restart(item, now)
            return None
        child = item.child
        code = child.exit_code()
        if code is not None:
            child.finish_output()
            return f"exited with code {code}"
        if item.phase == "starting":
            url = child.command.ready_url
            if now < item.next_probe:
                return None
            item.next_probe = now + READY_POLL  # each poll is a request the service may log
            if url is None or healthy(url, timeout=policy.live_timeout):
                item.phase, item.since, item.next_probe, item.failures = "running", now, now, 0
                self.say(f"{child.name} is ready again (pid {child.pid})")
            elif now - item.since > policy.ready_timeout:
                return f"was not ready within {policy.ready_timeout:g} s of its restart"
            return None
        url = child.command.live_url
        if url is None or now < item.next_probe:
            return None
        item.next_probe = now + policy.live_interval
        if healthy(url, timeout=policy.live_timeout):
            item.failures = 0
            return None
        item.failures += 1
        if item.failures < policy.live_failures:
            return None
        return (
            f"did not answer {url} {item.failures} times in a row "
            f"(timeout {policy.live_timeout:g} s): hung"
        )

    def _schedule_restart(self, item: _Watched, failure: str) -> bool:
        """Kill what is left of a failed child and plan its restart; False when giving up."""
        policy = self.policy
        child = item.child
        child.signal_group(signal.SIGKILL)  # a hung or stopped (SIGSTOP) process, and any helper
        child.process.wait()
        child.finish_output()
        now = time.monotonic()
        while item.restarts and now - item.restarts[0] > policy.window:
            item.restarts.popleft()
        if len(item.restarts) >= policy.max_restarts:
            self.say(
                f"{child.name} {failure}; it was restarted {len(item.restarts)} times within "
                f"{policy.window:g} s (RESTART_MAX={policy.max_restarts}, "
                f"RESTART_WINDOW={policy.window:g}): giving up, stopping the stack; its last lines:\n"
                + child.last_lines()
            )
            return False
        item.restarts.append(now)
        delay = policy.backoff(len(item.restarts))
        self.say(
            f"{child.name} {failure}; restarting it in {delay:g} s "
            f"(restart {len(item.restarts)} of at most {policy.max_restarts} within {policy.window:g} s)"
        )
        item.phase, item.since, item.restart_at = "waiting", now, now + delay
        return True

    def _restart(self, item: _Watched, now: float) -> None:
        old = item.child
        self.children.remove(old)
        item.child = self.start(old.command, old.env)
        item.phase, item.since, item.failures, item.next_probe = "starting", now, 0, now
        self.say(f"{old.name} restarted (pid {item.child.pid})")

    def stop_all(self) -> None:
        """SIGTERM every child's process group, SIGKILL what is left after the grace period."""
        alive = [child for child in self.children if child.group_alive()]
        for child in alive:
            child.signal_group(signal.SIGTERM)
            child.signal_group(signal.SIGCONT)  # a stopped (SIGSTOP) child handles SIGTERM only so
        deadline = time.monotonic() + self.stop_grace
        while alive and time.monotonic() < deadline and not self.force_stop.is_set():
            time.sleep(0.05)
            alive = [child for child in alive if child.group_alive()]
        for child in alive:
            if self.force_stop.is_set():
                self.say(f"{child.name}: second {self.stop_reason}, killing it")
            else:
                self.say(f"{child.name} did not stop within {self.stop_grace:g} s: killing it")
            child.signal_group(signal.SIGKILL)
        for child in self.children:
            child.process.wait()
            child.finish_output()
        self.children.clear()


def run(config: StackConfig, env: Mapping[str, str], supervisor: Supervisor) -> int:
    """Check, run the jobs, start the services, wait for health, then watch until stopped."""
    check_data_dir(config.data_dir)
    redis_url = config.redis_url
    if redis_url is None:
        supervisor.say(
            "cache: REDIS_URL is not set, the gateway uses its embedded in-process cache"
        )
    elif redis_answers(redis_url):
        supervisor.say(f"cache: Redis at {redact(redis_url)}")
    else:
        supervisor.say(
            f"cache: Redis at {redact(redis_url)} does not answer a PING, "
            "the gateway uses its embedded in-process cache"
        )
        redis_url = None
    services = service_commands(config, redis_url)
    check_ports(services, config.host)
    try:
        for job in job_commands(config):
            supervisor.say(f"running `{Path(job.argv[0]).name} {' '.join(job.argv[1:])}`")
            if not supervisor.run_job(job, child_env(env, job.env)):
                supervisor.say(f"received {supervisor.stop_reason}; stopping")
                return 0
        children = [
            supervisor.start(command, child_env(env, command.env, drop=("REDIS_URL",)))
            for command in services
        ]
        if not supervisor.wait_healthy(children, config.startup_timeout):
            supervisor.say(f"received {supervisor.stop_reason}; stopping the stack")
            return 0
        gateway = http_base(config.host, config.gateway_port)
        supervisor.say(f"ready: gateway {gateway}  docs {gateway}/docs  (Ctrl-C stops everything)")
        return supervisor.watch()
    finally:
        supervisor.stop_all()


def main() -> int:
    supervisor = Supervisor()
    supervisor.install_signal_handlers()
    try:
        config = StackConfig.from_env(os.environ, Path.cwd())
        supervisor.stop_grace = config.stop_grace
        supervisor.policy = config.restart_policy()
        return run(config, os.environ, supervisor)
    except StackError as exc:
        print(f"run_stack: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

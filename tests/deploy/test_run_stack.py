"""The local-stack supervisor (scripts/run_stack.py): configuration, checks, and process handling."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil
import pytest

from tests.support.processes import free_port

DUMMY = Path(__file__).with_name("dummy_service.py")
REPO_ROOT = Path(__file__).resolve().parents[2]


def _dummy(run_stack: ModuleType, name: str, *args: str, port: int | None = None) -> Any:
    argv = (sys.executable, str(DUMMY), *args, *(("--port", str(port)) if port else ()))
    ready = f"http://127.0.0.1:{port}/health/ready" if port else None
    live = f"http://127.0.0.1:{port}/health/live" if port else None
    return run_stack.Command(name, argv, {}, ready, port, live)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _pids(pid_file: Path, expected: int, timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = _all_pids(pid_file)
        if len(pids) >= expected:
            return pids
        time.sleep(0.05)
    raise AssertionError(f"{pid_file} did not list {expected} pids in {timeout} s")


@pytest.fixture
def supervisor(run_stack: ModuleType) -> Iterator[Any]:
    sup = run_stack.Supervisor(out=io.StringIO(), stop_grace=5.0)
    yield sup
    sup.stop_all()


# --- configuration and checks ------------------------------------------------------------------


def test_config_defaults(run_stack: ModuleType, tmp_path: Path) -> None:
    config = run_stack.StackConfig.from_env({}, tmp_path)
    assert config.data_dir == tmp_path / "data" / "raw"
    assert config.processed_dir == tmp_path / "data" / "processed"
    assert config.model_dir == tmp_path / "data" / "models"
    assert (config.host, config.query_port, config.recommender_port, config.gateway_port) == (
        "127.0.0.1",
        8001,
        8002,
        8000,
    )
    assert config.redis_url is None


def test_config_from_env(run_stack: ModuleType, tmp_path: Path) -> None:
    env = {
        "DATA_DIR": "../raw",
        "PROCESSED_DIR": "/srv/processed",
        "QUERY_PORT": "9001",
        "GATEWAY_PORT": "9000",
        "HOST": "0.0.0.0",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
    }
    config = run_stack.StackConfig.from_env(env, tmp_path / "repo")
    assert config.data_dir == tmp_path / "raw"
    assert config.processed_dir == Path("/srv/processed")
    assert (config.query_port, config.recommender_port, config.gateway_port) == (9001, 8002, 9000)
    assert config.redis_url == "redis://127.0.0.1:6379/2"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"QUERY_PORT": "abc"}, "QUERY_PORT='abc' is not a port number (1-65535)"),
        ({"GATEWAY_PORT": "70000"}, "GATEWAY_PORT='70000' is not a port number (1-65535)"),
        ({"STARTUP_TIMEOUT": "-1"}, "STARTUP_TIMEOUT='-1' must be a positive number of seconds"),
    ],
)
def test_bad_config_is_one_clear_error(
    run_stack: ModuleType, tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(run_stack.StackError) as info:
        run_stack.StackConfig.from_env(env, tmp_path)
    assert str(info.value) == message


def test_data_dir_checks(run_stack: ModuleType, tmp_path: Path, raw_data_dir: Path) -> None:
    run_stack.check_data_dir(raw_data_dir)
    with pytest.raises(run_stack.StackError, match="does not exist: set DATA_DIR"):
        run_stack.check_data_dir(tmp_path / "missing")
    (tmp_path / "movies").mkdir()
    with pytest.raises(run_stack.StackError, match=r"has no streaming/ folder"):
        run_stack.check_data_dir(tmp_path)


def test_port_in_use_names_the_service(run_stack: ModuleType, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        config = run_stack.StackConfig.from_env(
            {"RECOMMENDER_PORT": str(taken), "QUERY_PORT": str(free_port())}, tmp_path
        )
        commands = run_stack.service_commands(config, None)
        with pytest.raises(run_stack.StackError) as info:
            run_stack.check_ports(commands, config.host)
    assert str(info.value) == (
        f"port {taken} (recommender) on 127.0.0.1 is already in use: "
        "stop what listens there or set RECOMMENDER_PORT"
    )


def test_same_port_twice_is_refused(run_stack: ModuleType, tmp_path: Path) -> None:
    config = run_stack.StackConfig.from_env({"QUERY_PORT": "8000"}, tmp_path)
    with pytest.raises(run_stack.StackError, match="gateway and query are both set to port 8000"):
        run_stack.check_ports(run_stack.service_commands(config, None), config.host)


def test_redis_ping(run_stack: ModuleType) -> None:
    # The real local Redis (CI starts one on 6379); a closed port and a bad URL do not answer.
    assert run_stack.redis_answers("redis://127.0.0.1:6379/0")
    assert not run_stack.redis_answers(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)
    assert not run_stack.redis_answers("not-a-url")


def test_redact_hides_the_password(run_stack: ModuleType) -> None:
    assert run_stack.redact("redis://user:s3cret@host:6379/0") == "redis://user:***@host:6379/0"
    assert run_stack.redact("redis://host:6379") == "redis://host:6379"


def test_services_are_wired_by_url(run_stack: ModuleType, tmp_path: Path) -> None:
    env = {
        "HOST": "0.0.0.0",
        "QUERY_PORT": "9101",
        "RECOMMENDER_PORT": "9102",
        "GATEWAY_PORT": "9100",
    }
    config = run_stack.StackConfig.from_env(env, tmp_path)
    query, recommender, gateway = run_stack.service_commands(config, None)
    assert query.argv[1:] == (
        "-m",
        "uvicorn",
        "query.app:create_app",
        "--factory",
        "--host",
        "0.0.0.0",
        "--port",
        "9101",
        "--http",
        "cinemateca_common.server:BoundedHttpToolsProtocol",
        "--h11-max-incomplete-event-size",
        "32768",
        "--timeout-keep-alive",
        "5",
        "--limit-concurrency",
        "500",
        "--no-access-log",
    )
    assert gateway.argv[-len(run_stack.SERVER_OPTIONS) :] == run_stack.SERVER_OPTIONS
    # Only the gateway logs requests: the services would log its health polls.
    assert recommender.argv[-1] == "--no-access-log"
    assert "--no-access-log" not in gateway.argv
    assert query.ready_url == "http://127.0.0.1:9101/health/ready"
    assert query.live_url == "http://127.0.0.1:9101/health/live"
    assert gateway.ready_url == "http://127.0.0.1:9100/health/ready"
    assert recommender.env == {
        "PROCESSED_DIR": str(config.processed_dir),
        "MODEL_DIR": str(config.model_dir),
    }
    assert gateway.env["QUERY_URL"] == "http://127.0.0.1:9101"
    assert gateway.env["RECOMMENDER_URL"] == "http://127.0.0.1:9102"
    assert "REDIS_URL" not in gateway.env
    with_redis = run_stack.service_commands(config, "redis://127.0.0.1:6379/0")[2]
    assert with_redis.env["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    # The embedded cache is chosen by removing REDIS_URL from the inherited environment.
    child = run_stack.child_env(
        {"REDIS_URL": "redis://down:1", "PATH": "/bin"}, gateway.env, drop=("REDIS_URL",)
    )
    assert "REDIS_URL" not in child
    assert child["PATH"] == "/bin"
    # Text logs on the supervisor's console, whatever the calling environment asks for.
    assert run_stack.child_env({"LOG_FORMAT": "json"}, {})["LOG_FORMAT"] == "text"


def test_restart_policy_from_env_and_backoff(run_stack: ModuleType, tmp_path: Path) -> None:
    config = run_stack.StackConfig.from_env({"RESTART_MAX": "2", "RESTART_WINDOW": "30"}, tmp_path)
    policy = config.restart_policy()
    assert (policy.max_restarts, policy.window) == (2, 30.0)
    defaults = run_stack.RestartPolicy()
    assert [defaults.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    with pytest.raises(run_stack.StackError, match="RESTART_MAX='x' is not a whole number"):
        run_stack.StackConfig.from_env({"RESTART_MAX": "x"}, tmp_path)


def test_jobs_are_the_installed_console_scripts(run_stack: ModuleType, tmp_path: Path) -> None:
    config = run_stack.StackConfig.from_env({"DATA_DIR": str(tmp_path)}, tmp_path)
    etl, train = run_stack.job_commands(config)
    assert [Path(etl.argv[0]).name, *etl.argv[1:]] == ["etl", "all"]
    assert [Path(train.argv[0]).name, *train.argv[1:]] == ["train", "all"]
    assert Path(etl.argv[0]).is_file()
    assert Path(train.argv[0]).is_file()
    assert etl.env["DATA_DIR"] == str(tmp_path)


# --- process handling on stand-in children ------------------------------------------------------


def test_stop_all_leaves_no_process(run_stack: ModuleType, supervisor: Any, tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    children = [
        supervisor.start(
            _dummy(run_stack, "one", "--helper", "--pid-file", str(pid_file), port=free_port()),
            os.environ,
        ),
        supervisor.start(
            _dummy(run_stack, "two", "--pid-file", str(pid_file), port=free_port()), os.environ
        ),
    ]
    assert supervisor.wait_healthy(children, timeout=30)
    pids = _pids(pid_file, 3)
    assert all(_alive(pid) for pid in pids)
    supervisor.stop_all()
    assert [pid for pid in pids if _alive(pid)] == []
    assert "one is ready at" in supervisor.out.getvalue()


def test_stubborn_child_is_killed_after_the_grace_period(
    run_stack: ModuleType, tmp_path: Path
) -> None:
    pid_file = tmp_path / "pids"
    sup = run_stack.Supervisor(out=io.StringIO(), stop_grace=0.5)
    child = sup.start(
        _dummy(
            run_stack, "stubborn", "--ignore-term", "--pid-file", str(pid_file), port=free_port()
        ),
        os.environ,
    )
    assert sup.wait_healthy([child], timeout=30)
    pids = _pids(pid_file, 1)
    sup.stop_all()
    assert not any(_alive(pid) for pid in pids)
    assert "stubborn did not stop within 0.5 s: killing it" in sup.out.getvalue()


def test_child_output_is_prefixed(run_stack: ModuleType, supervisor: Any) -> None:
    command = _dummy(run_stack, "talker", "--exit-after", "0", "--exit-code", "0")
    assert supervisor.run_job(command, os.environ)
    assert "talker      | dummy started pid=" in supervisor.out.getvalue()
    assert "talker      | dummy exiting with 0" in supervisor.out.getvalue()


def test_failing_job_is_reported(run_stack: ModuleType, supervisor: Any) -> None:
    command = _dummy(run_stack, "job", "--exit-after", "0", "--exit-code", "4")
    with pytest.raises(
        run_stack.StackError,
        match=r"^job failed with exit code 4: `python .*dummy_service.py --exit-after 0 --exit-code 4`",
    ):
        supervisor.run_job(command, os.environ)


def test_child_dying_before_health_names_it(run_stack: ModuleType, supervisor: Any) -> None:
    good = supervisor.start(_dummy(run_stack, "good", port=free_port()), os.environ)
    bad = supervisor.start(
        _dummy(run_stack, "bad", "--exit-after", "0.2", port=free_port()),
        os.environ,
    )
    # "bad" listens only after its sleep, so it exits before it ever answers: reported with its output.
    bad_command = run_stack.Command("bad", bad.command.argv, {}, "http://127.0.0.1:1/health", None)
    bad.command = bad_command
    with pytest.raises(run_stack.StackError) as info:
        supervisor.wait_healthy([good, bad], timeout=30)
    message = str(info.value)
    assert message.startswith("bad exited with code 3 before it was ready; its last lines:")
    assert "dummy exiting with 3" in message


def test_health_timeout_names_the_service_and_its_last_lines(
    run_stack: ModuleType, supervisor: Any
) -> None:
    silent = supervisor.start(_dummy(run_stack, "silent"), os.environ)
    silent.command = run_stack.Command(
        "silent", silent.command.argv, {}, "http://127.0.0.1:1/health", None
    )
    with pytest.raises(run_stack.StackError) as info:
        supervisor.wait_healthy([silent], timeout=1)
    message = str(info.value)
    assert message.startswith("silent did not answer http://127.0.0.1:1/health with 200 within 1 s")
    assert "dummy started pid=" in message


# --- the supervisor as a process: signals ------------------------------------------------------

_DRIVER = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {scripts!r})
    import run_stack

    policy = run_stack.RestartPolicy(**{policy!r})
    sup = run_stack.Supervisor(stop_grace=5.0, policy=policy)
    sup.install_signal_handlers()
    commands = [
        run_stack.Command(
            name, tuple(argv), {{}}, f"http://127.0.0.1:{{port}}/health/ready", port,
            f"http://127.0.0.1:{{port}}/health/live",
        )
        for name, argv, port in {commands!r}
    ]
    try:
        children = [sup.start(command, os.environ) for command in commands]
        if sup.wait_healthy(children, 30):
            sup.say("ready")
            sys.exit(sup.watch())
    finally:
        sup.stop_all()
    """
)

# Fast probes and short backoffs, so that a test sees a restart within seconds.
FAST_POLICY = {
    "backoff_initial": 0.2,
    "backoff_max": 1.0,
    "live_interval": 0.3,
    "live_timeout": 0.5,
    "live_failures": 3,
    "max_restarts": 3,
    "window": 60.0,
}


def _driver(
    tmp_path: Path,
    ports: dict[str, int],
    extra: dict[str, list[str]] | None = None,
    policy: dict[str, Any] | None = None,
) -> subprocess.Popen[str]:
    """The real Supervisor in a process of its own, running dummy children on ``ports``."""
    pid_file = tmp_path / "pids"
    commands = []
    for name, port in ports.items():
        argv = [sys.executable, str(DUMMY), "--port", str(port), "--pid-file", str(pid_file)]
        argv += (extra or {}).get(name, [])
        commands.append((name, argv, port))
    driver = tmp_path / "driver.py"
    driver.write_text(
        _DRIVER.format(
            scripts=str(REPO_ROOT / "scripts"),
            commands=commands,
            policy=policy or FAST_POLICY,
        )
    )
    return subprocess.Popen(
        [sys.executable, str(driver)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


class Output:
    """A process's merged output, read by a thread so that waits for a line can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with self.proc.stdout as stream:
            for line in stream:
                with self._changed:
                    self.lines.append(line)
                    self._changed.notify_all()

    def wait_for(self, prefix: str, timeout: float, since: int = 0) -> None:
        """Block until a line from index ``since`` on starts with ``prefix``; fail with the last lines
        after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(line.startswith(prefix) for line in self.lines[since:]):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    tail = "".join(self.lines[-40:])
                    raise AssertionError(f"no line {prefix!r} within {timeout} s:\n{tail}")
                self._changed.wait(min(remaining, 0.5))

    def finish(self, timeout: float) -> str:
        """Wait for the process to exit; return everything it printed."""
        self.proc.wait(timeout)
        self._thread.join(timeout)
        return "".join(self.lines)


def _kill_leftovers(pids: list[int]) -> None:
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _listener(pids: list[int], port: int) -> int:
    """The pid among ``pids`` that listens on ``port``."""
    for pid in pids:
        if any(conn.laddr.port == port for conn in psutil.Process(pid).net_connections()):
            return pid
    raise AssertionError(f"none of {pids} listens on {port}")


def _all_pids(pid_file: Path) -> list[int]:
    return [int(line) for line in pid_file.read_text().split()] if pid_file.exists() else []


def _stop_driver(proc: subprocess.Popen[str], pid_file: Path) -> list[int]:
    """Kill the driver if it still runs; kill its processes still alive and return their pids."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    leftovers = [pid for pid in _all_pids(pid_file) if _alive(pid)]
    _kill_leftovers(leftovers)
    return leftovers


class Poller:
    """GETs a URL every 50 ms on a thread and keeps every failure, to show a service never stopped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.answered = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    assert response.status == 200
                self.answered += 1
            except (OSError, AssertionError) as exc:
                self.failures.append(f"{time.monotonic():.2f} {exc!r}")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.mark.parametrize("event", ["SIGINT", "SIGTERM"])
def test_supervisor_process_stops_every_child(tmp_path: Path, event: str) -> None:
    ports = {"alpha": free_port(), "beta": free_port()}
    proc = _driver(tmp_path, ports, extra={"alpha": ["--helper"]})
    try:
        output = Output(proc)
        output.wait_for("stack       | ready", timeout=60)
        assert all(_alive(pid) for pid in _pids(tmp_path / "pids", 3))
        proc.send_signal(signal.Signals[event])
        log = output.finish(timeout=30)
    finally:
        leftovers = _stop_driver(proc, tmp_path / "pids")
    assert proc.returncode == 0
    assert f"received {event}; stopping the stack" in log
    assert leftovers == []


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGSTOP], ids=["kill-9", "SIGSTOP"])
def test_crashed_or_hung_child_is_restarted_and_the_other_keeps_serving(
    tmp_path: Path, signum: signal.Signals
) -> None:
    ports = {"alpha": free_port(), "beta": free_port()}
    proc = _driver(tmp_path, ports)
    alpha = beta = None
    try:
        output = Output(proc)
        output.wait_for("stack       | ready", timeout=60)
        pids = _pids(tmp_path / "pids", 2)
        alpha = Poller(f"http://127.0.0.1:{ports['alpha']}/health/live")
        victim = _listener(pids, ports["beta"])
        os.kill(victim, signum)
        output.wait_for("stack       | beta restarted (pid", timeout=30)
        output.wait_for("stack       | beta is ready again", timeout=30)
        assert not _alive(victim)  # a stopped process is killed, not left behind
        beta = Poller(f"http://127.0.0.1:{ports['beta']}/health/live")
        time.sleep(0.5)
        alpha.stop()
        beta.stop()
        assert beta.answered > 0
        assert beta.failures == []
        assert alpha.answered > 0
        assert alpha.failures == []  # alpha never stopped answering
        proc.send_signal(signal.SIGINT)
        log = output.finish(timeout=30)
    finally:
        for poller in (alpha, beta):
            if poller is not None:
                poller.stop()
        leftovers = _stop_driver(proc, tmp_path / "pids")
    if signum == signal.SIGKILL:
        assert "beta exited with code -9; restarting it in 0.2 s (restart 1 of at most 3" in log
    else:
        assert (
            f"beta did not answer http://127.0.0.1:{ports['beta']}/health/live 3 times in a row "
            "(timeout 0.5 s): hung; restarting it in 0.2 s" in log
        )
    assert "alpha" not in "".join(line for line in log.splitlines(True) if "restart" in line)
    assert proc.returncode == 0
    assert leftovers == []


def test_child_crashing_again_and_again_stops_the_stack(tmp_path: Path) -> None:
    ports = {"alpha": free_port(), "beta": free_port()}
    # beta answers its probes for 1.5 s after every start, then exits with code 3.
    proc = _driver(
        tmp_path,
        ports,
        extra={"beta": ["--exit-after", "1.5"]},
        policy={**FAST_POLICY, "max_restarts": 2},
    )
    try:
        output = Output(proc)
        output.wait_for("stack       | ready", timeout=60)
        log = output.finish(timeout=60)
    finally:
        leftovers = _stop_driver(proc, tmp_path / "pids")
    assert proc.returncode == 1
    assert "beta exited with code 3; restarting it in 0.2 s (restart 1 of at most 2" in log
    assert "beta exited with code 3; restarting it in 0.4 s (restart 2 of at most 2" in log
    assert (
        "beta exited with code 3; it was restarted 2 times within 60 s (RESTART_MAX=2, "
        "RESTART_WINDOW=60): giving up, stopping the stack; its last lines:" in log
    )
    assert leftovers == []


def test_script_reports_a_missing_data_dir_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "nowhere")}
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "run_stack.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"run_stack: error: DATA_DIR {tmp_path / 'nowhere'} does not exist: "
        "set DATA_DIR to the folder holding movies/ and streaming/\n"
    )


# --- the real stack -------------------------------------------------------------------------------


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status)


def _stack_env(
    raw_data_dir: Path,
    processed_dir: Path,
    model_dir: Path,
    tmp_path: Path,
) -> tuple[dict[str, str], dict[str, int]]:
    """The environment of a real ``make run`` on free ports, and those ports by variable name."""
    # Copies of the session's ETL output and models: the jobs find them up to date and do no work.
    shutil.copytree(processed_dir, tmp_path / "processed")
    shutil.copytree(model_dir, tmp_path / "models")
    ports = {name: free_port() for name in ("QUERY_PORT", "RECOMMENDER_PORT", "GATEWAY_PORT")}
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATA_DIR": str(raw_data_dir),
        "PROCESSED_DIR": str(tmp_path / "processed"),
        "MODEL_DIR": str(tmp_path / "models"),
        # A Redis that does not answer: the stack falls back to the embedded cache.
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        **{name: str(port) for name, port in ports.items()},
    }
    return env, ports


def _start_stack(env: dict[str, str]) -> subprocess.Popen[str]:
    """``make run``'s supervisor as a child, its output (stdout and stderr) on one pipe."""
    return subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "scripts" / "run_stack.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _service_pid(supervisor: int, service: str) -> int:
    """The pid of the uvicorn process serving ``service`` under the supervisor process."""
    for child in psutil.Process(supervisor).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if f"{service}.app:create_app" in child.cmdline():
                return int(child.pid)
    raise AssertionError(f"no {service} process under {supervisor}")


@dataclasses.dataclass
class RealStack:
    """A running ``make run`` supervisor, ready, on the free ports of :func:`_stack_env`."""

    proc: subprocess.Popen[str]
    output: Output
    ports: dict[str, int]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service.upper() + '_PORT']}"

    def interrupt(self) -> tuple[str, list[int]]:
        """Ctrl-C: SIGINT, then the whole log and the pids of its processes still alive after it."""
        children = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGINT)
        log = self.output.finish(timeout=60)
        leftovers = [child.pid for child in children if _alive(child.pid)]
        _kill_leftovers(leftovers)
        return log, leftovers


@pytest.fixture
def real_stack(
    raw_data_dir: Path, processed_dir: Path, model_dir: Path, tmp_path: Path
) -> Iterator[RealStack]:
    """The real stack, started and ready; killed with every process under it if a test fails."""
    env, ports = _stack_env(raw_data_dir, processed_dir, model_dir, tmp_path)
    proc = _start_stack(env)
    try:
        output = Output(proc)
        output.wait_for("stack       | ready", timeout=300)
        yield RealStack(proc, output, ports)
    finally:
        if proc.poll() is None:
            children: list[psutil.Process] = []
            with contextlib.suppress(psutil.Error):
                children = psutil.Process(proc.pid).children(recursive=True)
            proc.kill()
            proc.wait()
            _kill_leftovers([child.pid for child in children])


@pytest.mark.e2e
@pytest.mark.slow
def test_real_stack_restarts_each_killed_or_hung_service_while_the_others_serve(
    real_stack: RealStack,
) -> None:
    proc, output = real_stack.proc, real_stack.output
    names = ("query", "recommender", "gateway")
    pollers = {name: Poller(f"{real_stack.url(name)}/health/live") for name in names}
    try:
        for signum in (signal.SIGKILL, signal.SIGSTOP):
            for victim in names:
                pid = _service_pid(proc.pid, victim)
                for poller in pollers.values():
                    poller.failures.clear()
                since = len(output.lines)
                os.kill(pid, signum)
                output.wait_for(f"stack       | {victim} is ready again", timeout=120, since=since)
                assert proc.poll() is None, "".join(output.lines[-40:])
                assert not _alive(pid)
                assert _service_pid(proc.pid, victim) != pid
                for name, poller in pollers.items():
                    if name != victim:
                        assert poller.failures == [], (signum, victim, name, poller.failures)
                answered = pollers[victim].answered
                time.sleep(0.5)
                assert pollers[victim].answered > answered  # back in service
    finally:
        for poller in pollers.values():
            poller.stop()
    log = "".join(output.lines)
    for victim in names:
        assert f"{victim} exited with code -9; restarting it in 1 s" in log
        assert f"{victim} did not answer http://127.0.0.1:" in log
        assert "times in a row (timeout 2 s): hung; restarting it in 2 s" in log
    log, leftovers = real_stack.interrupt()
    assert proc.returncode == 0, log[-3000:]
    assert leftovers == []


@pytest.mark.e2e
@pytest.mark.slow
def test_real_stack_comes_up_and_stops_on_ctrl_c(real_stack: RealStack) -> None:
    log = "".join(real_stack.output.lines)
    assert "does not answer a PING, the gateway uses its embedded in-process cache" in log
    assert "up to date" in log
    gateway = real_stack.url("gateway")
    assert f"ready: gateway {gateway}  docs {gateway}/docs" in log
    assert _get(f"{gateway}/health") == 200
    assert _get(f"{gateway}/health/ready") == 200
    assert _get(f"{gateway}/docs") == 200
    children = psutil.Process(real_stack.proc.pid).children(recursive=True)
    assert sorted(c.cmdline()[3] for c in children) == [
        "gateway.app:create_app",
        "query.app:create_app",
        "recommender.app:create_app",
    ]
    log, leftovers = real_stack.interrupt()
    assert real_stack.proc.returncode == 0, log[-3000:]
    assert "received SIGINT; stopping the stack" in log
    assert leftovers == []
    for port in real_stack.ports.values():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_stop_during_a_job_stops_it(run_stack: ModuleType, supervisor: Any, tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    command = _dummy(run_stack, "etl", "--helper", "--pid-file", str(pid_file))
    threading.Timer(1.0, supervisor.request_stop, args=("SIGINT",)).start()
    assert supervisor.run_job(command, os.environ) is False
    pids = _pids(pid_file, 2)
    supervisor.stop_all()
    assert [pid for pid in pids if _alive(pid)] == []


def test_second_stop_request_kills_at_once(run_stack: ModuleType, tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    sup = run_stack.Supervisor(out=io.StringIO(), stop_grace=60.0)
    command = _dummy(
        run_stack, "stubborn", "--ignore-term", "--pid-file", str(pid_file), port=free_port()
    )
    assert sup.wait_healthy([sup.start(command, os.environ)], timeout=30)
    pids = _pids(pid_file, 1)
    sup.request_stop("SIGINT")
    threading.Timer(0.5, sup.request_stop, args=("SIGINT",)).start()
    started = time.monotonic()
    sup.stop_all()
    assert time.monotonic() - started < 30  # far less than the 60 s grace period
    assert not any(_alive(pid) for pid in pids)
    assert "stubborn: second SIGINT, killing it" in sup.out.getvalue()

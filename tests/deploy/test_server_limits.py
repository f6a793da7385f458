"""Request line and headers are bounded in bytes and in time on the real server, as ``make run`` starts it.

The gateway is started with the supervisor's own uvicorn command (``run_stack.uvicorn_argv``, the same
options as the images' CMD), then attacked with clients that send endless or trickled headers; its
resident memory is measured with psutil. Both protocol classes are tried: the httptools one that the
stack uses, and the h11 one.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import psutil
import pytest

from tests.support.processes import free_port

HEADER_TIMEOUT = 2.0
MB = 1 << 20


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int

    def rss(self) -> int:
        return int(psutil.Process(self.proc.pid).memory_info().rss)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


PROTOCOLS = {
    "httptools": "cinemateca_common.server:BoundedHttpToolsProtocol",
    "h11": "cinemateca_common.server:BoundedH11Protocol",
}


@pytest.fixture(params=sorted(PROTOCOLS))
def gateway(run_stack: ModuleType, request: pytest.FixtureRequest) -> Iterator[Server]:
    port = free_port()
    argv = list(
        run_stack.uvicorn_argv("gateway.app:create_app", "127.0.0.1", port, access_log=False)
    )
    assert argv[argv.index("--http") + 1] == PROTOCOLS["httptools"]  # what the stack runs
    argv[argv.index("--http") + 1] = PROTOCOLS[request.param]
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        # No services behind it: the limits are the server's, whatever the routes answer.
        "QUERY_URL": f"http://127.0.0.1:{free_port()}",
        "RECOMMENDER_URL": f"http://127.0.0.1:{free_port()}",
        "HTTP_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "LOG_FORMAT": "text",
    }
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _status(f"http://127.0.0.1:{port}/openapi.json") == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "the gateway exited at startup"
            assert time.monotonic() < deadline, "the gateway did not start within 60 s"
            time.sleep(0.2)
        yield Server(proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# The client's send buffer is pinned (unpinned, the kernel grows it to megabytes while the server is
# not scheduled, and how much a client got through before it saw the close measured the machine's load).
CLIENT_SEND_BUFFER = 64 * 1024
# asyncio's (and uvloop's) read size: the server reads at most this once past its 32 kB bound.
SERVER_READ = 256 * 1024


def _open(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CLIENT_SEND_BUFFER)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n")
    return sock


def _most_sent_before_the_close(sock: socket.socket, chunk: int) -> int:
    """What a client may have sent when it sees the close: what the server read (one read past its
    bound), what the kernel holds for the connection (the client's send buffer and the server's receive
    buffer, tcp_rmem's default that autotuning may double) and the chunk in flight."""
    send_buffer = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    try:
        receive_buffer = int(Path("/proc/sys/net/ipv4/tcp_rmem").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        receive_buffer = 128 * 1024  # Linux's default
    return SERVER_READ + send_buffer + 2 * receive_buffer + chunk


def _closed_by_peer(sock: socket.socket, received: bytearray | None = None) -> bool:
    """Whether the server closed the connection; what it sent meanwhile is added to ``received``."""
    while select.select([sock], [], [], 0)[0]:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return True
        if not chunk:
            return True
        if received is not None:
            received += chunk
    return False


def test_endless_headers_are_refused_and_memory_stays_bounded(gateway: Server) -> None:
    """8 clients each trying to send 64 MB of headers, as in the issue's reproduction."""
    before = gateway.rss()
    line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    clients = [_open(gateway.port) for _ in range(8)]
    most = _most_sent_before_the_close(clients[0], len(line) * 64)
    sent = dict.fromkeys(range(len(clients)), 0)
    received = {index: bytearray() for index in range(len(clients))}
    answers: dict[int, bytes] = {}
    peak = before
    while len(answers) < len(clients):
        for index, sock in enumerate(clients):
            if index in answers:
                continue
            try:
                sock.sendall(line * 64)
                sent[index] += len(line) * 64
            except (BrokenPipeError, ConnectionResetError):
                _closed_by_peer(sock, received[index])
                answers[index] = bytes(received[index])
                continue
            if _closed_by_peer(sock, received[index]):
                answers[index] = bytes(received[index])
            assert sent[index] < 64 * MB, "the server took 64 MB of headers without closing"
        peak = max(peak, gateway.rss())
    for sock in clients:
        sock.close()
    # Closed after one read past the 32 kB bound (the kernel's socket buffers took the rest), answered
    # 431 (httptools) or 400 (h11) when the answer got through.
    assert max(sent.values()) <= most, (sent, most)
    assert all(
        answer == b"" or answer.startswith((b"HTTP/1.1 431 ", b"HTTP/1.1 400 "))
        for answer in answers.values()
    ), answers
    assert peak - before < 20 * MB, f"RSS grew by {(peak - before) / MB:.1f} MB"
    assert _status(f"http://127.0.0.1:{gateway.port}/openapi.json") == 200


def test_trickled_headers_are_cut_off_after_the_header_timeout(gateway: Server) -> None:
    """Clients sending one header byte every 0.2 s (and one sending nothing) are closed in time."""
    before = gateway.rss()
    started = time.monotonic()
    trickling = [_open(gateway.port) for _ in range(8)]
    silent = socket.create_connection(("127.0.0.1", gateway.port), timeout=5)
    closed_at: dict[int, float] = {}
    peak = before
    while len(closed_at) < len(trickling) + 1 and time.monotonic() - started < 30:
        for index, sock in enumerate([*trickling, silent]):
            if index in closed_at:
                continue
            if _closed_by_peer(sock):
                closed_at[index] = time.monotonic() - started
                continue
            if sock is not silent:
                try:
                    sock.sendall(b"X")
                except (BrokenPipeError, ConnectionResetError):
                    closed_at[index] = time.monotonic() - started
        peak = max(peak, gateway.rss())
        time.sleep(0.2)
    for sock in [*trickling, silent]:
        sock.close()
    assert len(closed_at) == len(trickling) + 1, f"still open after 30 s: {closed_at}"
    # Not before the limit (they were sending bytes), and not long after it.
    assert min(closed_at.values()) >= HEADER_TIMEOUT - 0.5, closed_at
    assert max(closed_at.values()) <= HEADER_TIMEOUT + 3, closed_at
    assert peak - before < 20 * MB
    # A client that completes its request in time is served.
    assert _status(f"http://127.0.0.1:{gateway.port}/openapi.json") == 200


def test_a_kept_alive_connection_gets_a_fresh_header_timer(gateway: Server) -> None:
    """A second request on the same connection is served; a trickled third one is cut off in time."""
    sock = socket.create_connection(("127.0.0.1", gateway.port), timeout=10)
    request = b"GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
    for _ in range(2):
        sock.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(65536)
        assert received.startswith(b"HTTP/1.1 200 ")
        time.sleep(HEADER_TIMEOUT + 0.5)  # idle, under the 5 s keep-alive: still open
        head, _, body = received.partition(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        while len(body) < length:
            body += sock.recv(65536)
    started = time.monotonic()
    sock.sendall(b"GET /openapi.json HTTP/1.1\r\n")
    while not _closed_by_peer(sock):
        assert time.monotonic() - started < HEADER_TIMEOUT + 3, "not closed in time"
        sock.sendall(b"X")
        time.sleep(0.2)
    assert time.monotonic() - started >= HEADER_TIMEOUT - 0.5
    sock.close()

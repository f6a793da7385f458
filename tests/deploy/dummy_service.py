"""A stand-in child for the supervisor tests: serves the probes, can fork a helper, ignore SIGTERM or exit.

Run as ``python dummy_service.py --port N [--pid-file F] [--helper] [--ignore-term] [--exit-after S]``.
"""

from __future__ import annotations

import argparse
import http.server
import os
import signal
import subprocess
import sys
import threading
import time


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path in ("/health", "/health/live", "/health/ready") else 404
        body = b'{"status": "ok"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="0 = never listen (never healthy)")
    parser.add_argument("--pid-file", help="append this process's pid (and the helper's) here")
    parser.add_argument("--helper", action="store_true", help="fork a long-lived helper process")
    parser.add_argument("--ignore-term", action="store_true", help="ignore SIGTERM (needs SIGKILL)")
    parser.add_argument(
        "--exit-after", type=float, help="exit with --exit-code after this many seconds"
    )
    parser.add_argument("--exit-code", type=int, default=3)
    args = parser.parse_args()

    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pids = [os.getpid()]
    if args.helper:
        helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        pids.append(helper.pid)
    if args.pid_file:
        with open(args.pid_file, "a", encoding="utf-8") as handle:
            handle.write("".join(f"{pid}\n" for pid in pids))
    print(f"dummy started pid={os.getpid()}", flush=True)
    if args.port:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), _Health)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.exit_after is not None:
        time.sleep(args.exit_after)
        print(f"dummy exiting with {args.exit_code}", flush=True)
        return int(args.exit_code)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())

"""gunicorn for the benchmark, one server at a time, and its workers' memory."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import env

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Longer than any request the harness waits for: a slow page is measured, not killed.
WORKER_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, headers: dict, body: bytes | None = None):
    """One request over a new connection: (status, seconds)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


class Gunicorn:
    """``gunicorn <app>`` with the production worker settings of ``make serve``."""

    def __init__(self, name: str, app: str, environ: dict, port: int, ready_path: str):
        self.name, self.app, self.environ, self.port = name, app, environ, port
        self.ready_path = ready_path
        self.log = env.VAR / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("a")
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                str(Path(sys.executable).parent / "gunicorn"),
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--limit-request-line",
                "8190",
                "--timeout",
                str(WORKER_TIMEOUT),
                # Other gunicorns of the machine (tests, journeys) keep theirs.
                "--no-control-socket",
            ],
            cwd=env.ROOT,
            env=self.environ,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited; see {self.log}")
            try:
                request(self.port, "GET", self.ready_path, {"X-Forwarded-Proto": "https"})
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.name} did not answer in 60 s; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            # Quick shutdown: the requests still queued are not worth finishing.
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def rss_growth_during(pids: list[int], action) -> tuple[int, object]:
    """The largest RSS growth of any of ``pids`` while ``action()`` runs (sampled every
    2 ms), and what ``action`` returned."""
    before = {pid: rss_bytes(pid) for pid in pids}
    peak = dict(before)
    running = True

    def sample():
        while running:
            for pid in pids:
                peak[pid] = max(peak[pid], rss_bytes(pid))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = action()
    finally:
        running = False
        sampler.join()
    return max(peak[pid] - before[pid] for pid in pids), result

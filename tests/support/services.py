"""Real services for integration tests: SMTP (aiosmtpd), S3 (moto server), Celery worker.

Outside CI, a test that needs PostgreSQL, Redis or Chromium is skipped with the reason when
the service is not configured; with ``GUICHET_REQUIRE_SERVICES=1`` (set by ``.ci/run``) a
missing service is an error instead, so CI can never pass by skipping.
"""

import asyncio
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_SERVICES = os.environ.get("GUICHET_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_python(script: str, env: dict, *, timeout: float = 120) -> str:
    """Run ``script`` with ``python -c`` in another process (as a web process would act,
    with its own environment); it must succeed. Returns what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def wait_until(predicate, *, timeout=20.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class SmtpSink:
    """An aiosmtpd server on a loopback port that keeps every message it accepts.

    ``hold_replies`` makes it keep the answer to DATA until released, as a slow server
    does. A message whose client leaves before the answer is not accepted (RFC 5321 §6.1:
    the server takes responsibility with its "250" reply); it goes to ``abandoned``.
    """

    def __init__(self, port: int | None = None):
        self.messages: list[email.message.EmailMessage] = []
        self.awaiting: list[email.message.EmailMessage] = []  # DATA received, no answer yet
        self.abandoned: list[email.message.EmailMessage] = []
        self.hold_replies = False
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port or free_port())

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.awaiting.append(message)
        try:
            while self.hold_replies:
                await asyncio.sleep(0.05)
        except asyncio.CancelledError:  # the client left: aiosmtpd cancels the handler
            with self._lock:
                self.awaiting.remove(message)
                self.abandoned.append(message)
            raise
        with self._lock:
            self.awaiting.remove(message)
            self.messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self._lock:
            self.messages.clear()

    def received(self, predicate=lambda m: True) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for m in self.messages if predicate(m)]

    def wait_for(self, predicate=lambda m: True, *, timeout=20.0):
        def found():
            with self._lock:
                return next((m for m in self.messages if predicate(m)), None)

        return wait_until(found, timeout=timeout, message="an email on the SMTP server")


def redis_reachable(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def database_url(db: dict) -> str:
    """The URL of a Django database (its settings dict) for a child process."""
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class OwnRedis:
    """``redis-server`` on a free loopback port, keeping nothing on disk: a test that stops
    Redis, or wants a broker no other worker reads, never touches the machine's server."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *(shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, message="the test's Redis to answer")
        return self

    def _answers(self) -> bool:
        return redis_reachable(self.url)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class CeleryWorker:
    """A real ``celery worker`` process on the test database and the given broker.

    Its log is ``<name>.log`` under the run's var folder; ``env`` adds or overrides
    variables of its environment. ``pool="prefork"`` runs tasks in one child process, as
    production does; ``solo`` runs them in the worker process itself.
    """

    def __init__(
        self,
        *,
        database_url: str,
        broker_url: str,
        email_url: str,
        name: str = "test-celery-worker",
        pool: str = "solo",
        env: dict[str, str] | None = None,
    ):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": email_url,
            "OUTBOX_BACKOFF_SECONDS": "1",
            **(env or {}),
        }
        self.name = name
        self.pool = pool
        self.log = Path(settings.VAR_DIR) / f"{name}.log"
        self.process = None

    def start(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={self.pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={self.name}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches every process
        )
        wait_until(
            lambda: "ready" in self.log.read_text() or self.process.poll() is not None,
            timeout=60,
            message="the Celery worker to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited:\n{self.log.read_text()[-3000:]}")
        return self

    def kill(self):
        """SIGKILL to every process of the worker, as when its machine or container dies:
        nothing is acknowledged, restored or rolled back by the worker itself."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log_file.close()

    def pool_processes(self) -> list[int]:
        """The process ids of the prefork pool (the worker process's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_pool_process(self) -> int:
        """SIGKILL to the pool process running tasks, as the kernel's out-of-memory killer
        does; the worker process lives on and starts another pool process."""
        (pid,) = self.pool_processes()
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()

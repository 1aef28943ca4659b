"""Real services for integration tests: SMTP (aiosmtpd), S3 (moto server), Celery worker.

Outside CI, a test that needs PostgreSQL, Redis or Chromium is skipped with the reason when
the service is not configured; with ``GUICHET_REQUIRE_SERVICES=1`` (set by ``.ci/run``) a
missing service is an error instead, so CI can never pass by skipping.
"""

import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_SERVICES = os.environ.get("GUICHET_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout=20.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class SmtpSink:
    """An aiosmtpd server on a loopback port that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
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


class CeleryWorker:
    """A real ``celery worker`` process on the test database and the given broker."""

    def __init__(self, *, database_url: str, broker_url: str, email_url: str):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": email_url,
            "OUTBOX_BACKOFF_SECONDS": "1",
        }
        self.log = ROOT / "var" / "test-celery-worker.log"
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
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname=guichet-test@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: "ready" in self.log.read_text() or self.process.poll() is not None,
            timeout=60,
            message="the Celery worker to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited:\n{self.log.read_text()[-3000:]}")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()

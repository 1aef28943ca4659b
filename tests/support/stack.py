"""The real-services stack the cross-role journeys run on: gunicorn serving the test
database, a Celery worker and Celery beat on the Redis broker, the aiosmtpd sink, moto S3
(from the environment of CI's second pass)."""

import os
import subprocess
import sys
import urllib.request

from tests.support.services import ROOT, free_port, wait_until


class Process:
    """A long-running child process whose output goes to a log file under var/."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir):
        self.name = name
        self.argv = argv
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.process = None

    def start(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("a" if self.process else "w")  # a restart appends
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT
        )
        return self

    def check_alive(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()


def stack_environment(*, database_url: str, broker_url: str, email_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": email_url,
    }


class Gunicorn(Process):
    """``gunicorn config.wsgi`` with two sync workers, as ``make serve`` runs it."""

    def __init__(self, env: dict[str, str], log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**env, "GUICHET_SITE_URL": self.url}  # links in emails lead back here
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            "--workers=2",
            "--timeout=120",
            "--limit-request-line=8190",
        ]
        super().__init__("gunicorn", argv, env, log_dir)

    def start(self):
        super().start()

        def answers() -> bool:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(answers, timeout=60, message="gunicorn to answer /healthz")
        return self

    def restart(self):
        """New worker processes on the same address: between journeys the test database is
        flushed and its content types come back with new ids, which a worker keeps cached."""
        self.stop()
        return self.start()


class CeleryBeat(Process):
    def __init__(self, env: dict[str, str], log_dir):
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--schedule={log_dir / 'celerybeat-schedule'}",
        ]
        super().__init__("celery-beat", argv, env, log_dir)


__all__ = ["CeleryBeat", "Gunicorn", "stack_environment"]

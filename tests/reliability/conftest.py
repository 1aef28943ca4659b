"""Fault injection on the real stack (CI real-services pass; docs/reliability.md).

Each test starts its own instance of what it breaks (a Celery worker, a Redis broker, an
SMTP server, gunicorn) and never stops the machine's shared PostgreSQL or Redis."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages

from tests.support.s3 import ensure_bucket
from tests.support.stack import Gunicorn, stack_environment

LOG_DIR = Path(settings.VAR_DIR) / "reliability"


@pytest.fixture
def shared_private_storage(settings, tmp_path) -> dict[str, str]:
    """The private storage this test and the servers it starts share, empty at the start:
    on disk, this test's folder; on S3, a bucket of its own. Returns the environment that
    points a server at it."""
    private = settings.STORAGES["private"]
    if not private["BACKEND"].endswith("S3Storage"):
        return {"GUICHET_VAR_DIR": str(tmp_path)}  # its private/ is this test's
    bucket = f"{private['OPTIONS']['bucket_name']}-{uuid.uuid4().hex[:8]}"
    options = {**private["OPTIONS"], "bucket_name": bucket}
    settings.STORAGES = {**settings.STORAGES, "private": {**private, "OPTIONS": options}}
    ensure_bucket(storages["private"])
    return {"GUICHET_VAR_DIR": str(tmp_path), "AWS_PRIVATE_BUCKET_NAME": bucket}


@pytest.fixture
def gunicorn(request, celery_worker, smtp_server, shared_private_storage):
    """gunicorn on the test database beside the session's worker and SMTP sink, on the
    test's private storage."""
    env = stack_environment(
        database_url=celery_worker.env["DATABASE_URL"],
        broker_url=settings.CELERY_BROKER_URL,
        email_url=smtp_server.url,
    )
    server = Gunicorn({**env, **shared_private_storage}, LOG_DIR / request.node.name).start()
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter):
    """The load test's figures, for the closing note of a CI run."""
    from tests.reliability.load import WRITTEN

    for path in WRITTEN:
        terminalreporter.write_sep("-", f"load test figures ({path})")
        terminalreporter.write_line(path.read_text())

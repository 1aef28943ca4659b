"""Session-wide fixtures and hooks. The fixtures the test packages share are the plugin
tests/support/fixtures.py, registered here once; see tests/support/services.py for the
real-service helpers."""

import os
import shutil
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from tests.support import html_check, oidc, services

# Shared fixtures: one plugin instead of test modules importing each other's conftest.
pytest_plugins = ["tests.support.fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis: CI runs the same examples every time (derandomised; a failure prints the blob
# that reproduces it); local runs keep exploring new ones.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
hypothesis.settings.register_profile("dev", print_blob=True)
hypothesis.settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Under the run's own var/ folder, so that the two CI passes keep their artefacts apart.
E2E_DIR = Path(settings.VAR_DIR) / "e2e"


def _available() -> dict[str, bool]:
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis = services.redis_reachable(settings.REDIS_URL)
    return {
        "postgres": postgres,
        "redis": redis,
        "worker": postgres and redis,
        "chromium": services.chromium_available(),
        "java": html_check.java_available(),
        "redis-server": shutil.which("redis-server") is not None,
        "oidc-provider": oidc.node_available(),
    }


def pytest_collection_modifyitems(config, items):
    available = _available()
    missing_in_ci = set()
    for item in items:
        needed = set()
        for marker in item.iter_markers("services"):
            needed.update(marker.args)
        if item.get_closest_marker("e2e"):
            needed.add("chromium")
        missing = sorted(n for n in needed if not available.get(n, False))
        if not missing:
            continue
        if services.REQUIRE_SERVICES:
            missing_in_ci.update(missing)
        else:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)} (run by .ci/run)"))
    if missing_in_ci:
        raise pytest.UsageError(
            "GUICHET_REQUIRE_SERVICES=1 but these services are not reachable: "
            + ", ".join(sorted(missing_in_ci))
        )


@pytest.fixture(scope="session", autouse=True)
def _s3_buckets():
    """When the environment points the storages at S3 (CI pass 2), create their buckets."""
    from django.core.files.storage import storages

    from tests.support.s3 import allow_public_reads, ensure_bucket

    for alias in ("default", "private"):
        if settings.STORAGES[alias]["BACKEND"].endswith("S3Storage"):
            ensure_bucket(storages[alias])
    if settings.STORAGES["default"]["BACKEND"].endswith("S3Storage"):
        allow_public_reads(storages["default"])


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """Transactional tests flush and restore the database; cached content-type ids must
    not outlive the rows they point to."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run in-process unless the test asks for the real worker."""
    uses_worker = any("worker" in m.args for m in request.node.iter_markers("services"))
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = not uses_worker
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _isolated_files_and_cache(settings, tmp_path):
    """Each test gets empty file-system storages (S3 stays as configured) and cache."""
    storages = dict(settings.STORAGES)
    for alias in ("default", "private"):
        if storages[alias]["BACKEND"].endswith("FileSystemStorage"):
            storages[alias] = {
                **storages[alias],
                "OPTIONS": {**storages[alias]["OPTIONS"], "location": tmp_path / alias},
            }
    settings.STORAGES = storages
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    cache.clear()


@pytest.fixture(scope="session")
def smtp_server():
    sink = services.SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session", autouse=True)
def _redis_keys_of_this_run():
    """At the end, remove the keys this run wrote (its own prefix): never anyone else's."""
    yield
    if not services.redis_reachable(settings.REDIS_URL):
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}*", count=500):
        client.delete(key)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, smtp_server):
    """A real worker process on the test database, the Redis broker and the SMTP sink."""
    from django.db import connection

    worker = services.CeleryWorker(
        database_url=services.database_url(connection.settings_dict),
        broker_url=settings.CELERY_BROKER_URL,
        email_url=smtp_server.url,
    ).start()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def browser(live_server):
    """Chromium for the session. It asks for the live server so that it is closed first:
    connections it keeps alive would otherwise outlive the server and its shared SQLite
    connection (an exception in a server thread, which fails the run)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=services.CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under var/e2e/ and return its path."""
    E2E_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = E2E_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

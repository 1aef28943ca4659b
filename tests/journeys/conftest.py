"""Cross-role journeys on the real stack: gunicorn (two sync workers) on the test database,
a Celery worker and Celery beat on Redis, the aiosmtpd sink, S3 as configured (moto in CI).

Every browser page opened through ``journey.open()`` is watched by the session's auditor:
each page visited must be checked (axe-core, zero violations of any impact) and, when the
journey ends, the HTML the server sent for each page must pass the Nu HTML Checker.
The session writes ``var/e2e/journeys/journeys-audit.json`` (page, axe count, checker count).
"""

import pytest
from django.conf import settings

from tests.conftest import E2E_DIR
from tests.support.journey import Auditor, Keyboard
from tests.support.stack import CeleryBeat, Gunicorn, stack_environment

JOURNEY_DIR = E2E_DIR / "journeys"


# Each journey module sets ``pytestmark = JOURNEY_MARKS``.
JOURNEY_MARKS = [
    pytest.mark.e2e,
    pytest.mark.services("postgres", "redis", "worker", "java"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="package")
def stack(celery_worker, smtp_server):
    """gunicorn + Celery beat beside the session's Celery worker and SMTP sink, for the
    journeys only: once they end, beat no longer drains the outbox of later tests (the
    fault tests of tests/reliability break delivery on purpose)."""
    env = stack_environment(
        database_url=celery_worker.env["DATABASE_URL"],
        broker_url=settings.CELERY_BROKER_URL,
        email_url=smtp_server.url,
    )
    server = Gunicorn(env, JOURNEY_DIR).start()
    beat = CeleryBeat(env, JOURNEY_DIR).start()
    yield server
    beat.check_alive()  # beat ran the whole session on the same database and broker
    beat.stop()
    server.stop()


@pytest.fixture(scope="session")
def auditor():
    audit = Auditor(JOURNEY_DIR)
    yield audit
    audit.write_report()


class Journey:
    """The browser contexts of one journey (one per person), all watched by the auditor."""

    def __init__(self, browser, stack, auditor, screenshot):
        self.browser = browser
        self.stack = stack
        self.auditor = auditor
        self.screenshot = screenshot
        self.pages = []

    def open(self, *, width: int = 1280):
        context = self.browser.new_context(
            base_url=self.stack.url, locale="fr-FR", viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        self.auditor.watch(page)
        self.pages.append(page)
        return page

    def check(self, page, label: str = "") -> None:
        self.auditor.check(page, label)

    @staticmethod
    def keyboard(page) -> Keyboard:
        return Keyboard(page)

    def finish(self) -> None:
        """Every page visited was checked; the HTML of every checked page is valid."""
        unchecked = {url for page in self.pages for url in self.auditor.unchecked(page)}
        assert unchecked == set(), f"pages visited but never checked: {sorted(unchecked)}"
        errors = self.auditor.run_html_checker()
        assert errors == {}, f"Nu HTML Checker errors: {errors}"
        for page in self.pages:
            page.context.close()


@pytest.fixture
def journey(browser, stack, auditor, screenshot, smtp_server):
    stack.restart()  # no cache of the previous journey's database (content type ids)
    smtp_server.clear()
    return Journey(browser, stack, auditor, screenshot)

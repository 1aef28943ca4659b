"""The SMTP server is down: the outbox tries again with growing delays, the outbox admin
shows the message pending with its attempts and error, and once the server is back the
message is delivered once (a real worker on the test's own broker; docs/reliability.md)."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from identity.models import Notification, User
from tests.reliability.outbox import decision_email, publish, status_of
from tests.support.client import force_app_login, page_text
from tests.support.services import SmtpSink, free_port, wait_until

pytestmark = [
    pytest.mark.services("worker", "redis-server"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BACKOFF = 1  # OUTBOX_BACKOFF_SECONDS of the test workers: 1 s, then 2 s, 4 s, 8 s…
RECIPIENT = "hugo.lambert@example.fr"


@pytest.fixture
def admin_client():
    client = Client()
    force_app_login(client, User.objects.create_superuser("exploitation@example.fr", "x"))
    return client


def outbox_row(admin_client) -> tuple[str, int]:
    """The text of the notification's row in the outbox admin's list, and its attempts."""
    page = page_text(admin_client.get(reverse("admin:identity_notification_changelist")))
    rows = [row for row in re.split(r"<tr\b", page) if RECIPIENT in row]
    assert len(rows) == 1, rows
    attempts = int(re.search(r'class="field-attempts">(\d+)<', rows[0]).group(1))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[0])), attempts


def test_smtp_down_is_retried_with_backoff_shown_pending_then_sent_once(
    broker, start_worker, admin_client
):
    port = free_port()  # where the SMTP server will be, once it is back
    start_worker("celery-worker-smtp-down", email_url=f"smtp://127.0.0.1:{port}")
    notification = decision_email(RECIPIENT)
    publish(notification, broker.url)

    scheduled = {}  # attempts made -> the next attempt's time, as the worker wrote it

    def third_failure() -> bool:
        notification.refresh_from_db()
        scheduled.setdefault(notification.attempts, notification.next_attempt_at)
        return notification.attempts >= 3

    wait_until(third_failure, timeout=30, interval=0.05, message="three failed attempts")
    assert notification.status == Notification.Status.PENDING
    assert notification.last_error == "ConnectionRefusedError"
    # Each attempt came no sooner than scheduled, and the delay doubled each time.
    assert {1, 2, 3} <= scheduled.keys(), f"attempts too close to be seen apart: {scheduled}"
    tolerance = timedelta(seconds=0.1)
    for attempts in (1, 2):
        delay = timedelta(seconds=BACKOFF * 2**attempts)
        assert scheduled[attempts + 1] - scheduled[attempts] >= delay - tolerance, scheduled

    row, attempts = outbox_row(admin_client)
    assert "À envoyer" in row
    assert attempts >= 3
    detail = page_text(
        admin_client.get(reverse("admin:identity_notification_change", args=[notification.pk]))
    )
    assert "ConnectionRefusedError" in detail

    smtp = SmtpSink(port=port).start()  # the SMTP server is back
    try:
        wait_until(
            lambda: status_of(notification) == Notification.Status.SENT,
            timeout=30,
            message="the next attempt to send it",
        )
        time.sleep(2)  # room for a second delivery, which must not come
        assert len(smtp.received(lambda m: m["To"] == RECIPIENT)) == 1
    finally:
        smtp.stop()
    assert "Envoyé" in outbox_row(admin_client)[0]

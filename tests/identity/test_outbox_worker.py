"""Outbox against the real broker and a real Celery worker (CI real-services pass)."""

import subprocess
import sys

import pytest

from identity.models import Notification
from identity.tasks import outbox_drain
from tests.support.services import ROOT, free_port, wait_until

pytestmark = [
    pytest.mark.services("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENQUEUE = (
    "import django; django.setup();"
    "from django.db import transaction;"
    "from identity.services import notification_enqueue;"
    "transaction.atomic()(lambda: notification_enqueue(channel='email',"
    " recipient='panne@example.fr', subject='Pendant la panne', body_text='Bonjour'))();"
    "print('written')"
)


def _status():
    return (
        Notification.objects.filter(recipient="panne@example.fr")
        .values_list("status", flat=True)
        .first()
    )


def test_notification_written_while_broker_is_down_is_delivered_when_it_is_back(
    celery_worker, smtp_server
):
    env = dict(celery_worker.env)
    env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens
    result = subprocess.run(
        [sys.executable, "-c", ENQUEUE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "written" in result.stdout
    assert _status() == Notification.Status.PENDING  # the publish failed, the row is kept

    outbox_drain.delay()  # the broker is reachable again: the worker drains the outbox
    wait_until(lambda: _status() == Notification.Status.SENT, message="the outbox drain")
    message = smtp_server.wait_for(lambda m: m["Subject"] == "Pendant la panne")
    assert message["To"] == "panne@example.fr"


def test_worker_delivers_a_notification_published_on_commit(celery_worker, smtp_server):
    from django.db import transaction

    from identity.services import notification_enqueue

    with transaction.atomic():
        notification = notification_enqueue(
            channel="email",
            recipient="direct@example.fr",
            subject="Par le worker",
            body_text="Bonjour",
        )
    smtp_server.wait_for(lambda m: m["Subject"] == "Par le worker")
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT,
        message="the worker to mark it sent",
    )

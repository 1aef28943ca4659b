"""Outbox against the real broker and a real Celery worker (CI real-services pass)."""

import pytest

from identity.models import Notification
from identity.tasks import outbox_drain
from tests.support.services import CeleryWorker, free_port, run_python, wait_until

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
    assert "written" in run_python(ENQUEUE, env)
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


BURST = (
    "import django; django.setup();"
    "from django.db import transaction;"
    "from identity.services import notification_enqueue;"
    "[transaction.atomic()(lambda i=i: notification_enqueue(channel='email',"
    " recipient=f'resume{i}@example.fr', subject='Résumé', body_text='Bonjour'))()"
    " for i in range(30)];"
    "transaction.atomic()(lambda: notification_enqueue(channel='email',"
    " recipient='attend@example.fr', subject='Votre code de connexion', body_text='123456',"
    " urgent=True))();"
    "print('written')"
)


def test_a_code_written_after_a_burst_of_notices_is_sent_first(celery_worker, smtp_server):
    """30 notices wait in the queue when a login code is written: a worker that starts then
    sends the code before any of them (ADR 0313)."""

    # Queues of this test only (their own key prefix): the session's worker never sees them.
    env = {
        **celery_worker.env,
        "REDIS_KEY_PREFIX": f"{celery_worker.env['REDIS_KEY_PREFIX']}-burst",
    }
    assert "written" in run_python(BURST, env)
    ours = Notification.objects.filter(
        recipient__in=["attend@example.fr"] + [f"resume{i}@example.fr" for i in range(30)]
    )
    assert set(ours.values_list("status", flat=True)) == {Notification.Status.PENDING}

    worker = CeleryWorker(
        database_url=env["DATABASE_URL"],
        broker_url=env["CELERY_BROKER_URL"],
        email_url=env["EMAIL_URL"],
        name="celery-worker-burst",
        env={"REDIS_KEY_PREFIX": env["REDIS_KEY_PREFIX"]},
    ).start()
    try:
        wait_until(
            lambda: not ours.exclude(status=Notification.Status.SENT).exists(),
            timeout=120,
            message="the worker to send the 31 messages",
        )
    finally:
        worker.stop()
    order = list(ours.order_by("sent_at").values_list("recipient", flat=True))
    assert order[0] == "attend@example.fr"

"""A Celery worker killed with SIGKILL in the middle of a delivery: the message is
delivered exactly once after a new worker process starts (ADR 0306).

Two ways a worker dies: the kernel kills the pool process running the task (out of
memory), or the whole worker goes at once (its machine or container). Each test has its own
broker (a Redis server of its own: the session's worker never sees the task), its own SMTP
server and its own worker, with the production pool (prefork). The SMTP server holds its
answer to DATA, as a slow server does: the kill comes while the worker waits for it, with
the whole message sent but not accepted yet.
"""

import time

import psycopg
import pytest
from django.db import connection

from identity.models import Notification
from identity.services.notifications import message_id
from tests.reliability.outbox import decision_email, publish, status_of
from tests.support.services import CeleryWorker, SmtpSink, database_url, wait_until

pytestmark = [
    pytest.mark.services("worker", "redis-server"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VISIBILITY_TIMEOUT = 2  # seconds before an unacknowledged task is handed out again


@pytest.fixture
def slow_smtp():
    sink = SmtpSink().start()
    sink.hold_replies = True
    yield sink
    sink.stop()


@pytest.fixture
def start(start_worker, slow_smtp):
    def start(name: str) -> CeleryWorker:
        return start_worker(
            name, email_url=slow_smtp.url, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)
        )

    return start


def in_the_middle(sink: SmtpSink) -> None:
    wait_until(lambda: sink.awaiting, message="the worker to wait for the SMTP answer")


def delivered_once(notification: Notification, sink: SmtpSink) -> None:
    """The message was cut once, then accepted once, and the row says so."""
    wait_until(lambda: sink.abandoned, message="the SMTP server to see the client go")
    sink.hold_replies = False

    wait_until(
        lambda: status_of(notification) == Notification.Status.SENT,
        timeout=30,
        message="a new worker process to send it",
    )
    time.sleep(VISIBILITY_TIMEOUT + 2)  # time for any other copy of the task to come and run
    received = sink.received(lambda m: m["X-Guichet-Notification"] == str(notification.pk))
    assert len(received) == 1
    assert received[0]["Message-ID"] == message_id(notification)
    assert [m["Message-ID"] for m in sink.abandoned] == [message_id(notification)]
    assert notification.attempts == 0  # a cut attempt is not a failure of the SMTP server


def test_a_pool_process_killed_mid_delivery_is_replaced_and_sends_once(broker, slow_smtp, start):
    worker = start("celery-worker-oom")
    notification = decision_email()
    publish(notification, broker.url)
    in_the_middle(slow_smtp)
    killed = worker.kill_pool_process()

    wait_until(
        lambda: worker.pool_processes() not in ([], [killed]),
        message="the worker to start a new pool process",
    )
    delivered_once(notification, slow_smtp)
    assert "WorkerLostError" in worker.log.read_text()


def test_a_whole_worker_killed_mid_delivery_is_followed_by_a_new_one_that_sends_once(
    broker, slow_smtp, start
):
    first = start("celery-worker-killed")
    notification = decision_email()
    publish(notification, broker.url)
    in_the_middle(slow_smtp)
    first.kill()

    start("celery-worker-new")
    delivered_once(notification, slow_smtp)


def test_a_delivery_that_finds_the_row_held_looks_again(broker, slow_smtp, start):
    """The new worker process can be quicker than the database at rolling back the dead
    one's transaction: finding the row locked, it looks again instead of giving up."""
    slow_smtp.hold_replies = False
    worker = start("celery-worker-held")
    notification = decision_email()
    with psycopg.connect(database_url(connection.settings_dict)) as dying:
        dying.execute(
            "SELECT 1 FROM identity_notification WHERE id = %s FOR UPDATE", [notification.pk]
        )
        publish(notification, broker.url)
        wait_until(lambda: "retry" in worker.log.read_text(), message="the worker to look again")
        assert status_of(notification) == Notification.Status.PENDING
    # The lock is gone: the next look sends it, once.
    wait_until(lambda: status_of(notification) == Notification.Status.SENT, timeout=30)
    assert len(slow_smtp.received(lambda m: m["To"] == notification.recipient)) == 1

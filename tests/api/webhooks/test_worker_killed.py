"""Webhook deliveries by a real Celery worker (prefork, as in production). Killed with
SIGKILL while the receiver holds its answer, the event is delivered again by a new worker
with the same ``webhook-id`` and stays one logical event (ADR 0501, as the notification
outbox: ADR 0306); a 500 is retried by the worker itself. Real services only: PostgreSQL,
Redis and a broker of the test's own."""

import time

import pytest
from standardwebhooks import Webhook

from api.webhooks import services
from api.webhooks.models import Delivery, EventType
from api.webhooks.tasks import deliver_webhook
from config.celery import app
from tests.support.services import wait_until

pytestmark = [
    pytest.mark.services("worker", "redis-server"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VISIBILITY_TIMEOUT = 2  # seconds before an unacknowledged task is handed out again


@pytest.fixture
def start(start_worker, smtp_server):
    """A prefork worker on the test's broker that hands an unacknowledged task out again
    after ``VISIBILITY_TIMEOUT``."""
    return lambda name: start_worker(
        name, email_url=smtp_server.url, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)
    )


def publish(delivery: Delivery, broker_url: str) -> None:
    """What ``event_emit`` does on commit, on the test's broker."""
    with app.connection_for_write(broker_url) as broker_connection:
        deliver_webhook.apply_async(args=[str(delivery.pk)], connection=broker_connection)


def status_of(delivery: Delivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


def test_a_worker_killed_mid_delivery_leaves_one_event_delivered_again_with_its_id(
    broker, start, endpoint, receiver
):
    delivery = services.delivery_create(
        endpoint=endpoint, type=EventType.TEST, data={"message": "test"}
    )
    receiver.hold.set()
    first = start("webhooks-worker-killed")
    publish(delivery, broker.url)
    wait_until(receiver.holding.is_set, message="the worker to wait for the receiver's answer")
    first.kill()
    receiver.hold.clear()
    receiver.release.set()  # the receiver answers a worker that is gone

    start("webhooks-worker-new")
    wait_until(
        lambda: status_of(delivery) == Delivery.Status.DELIVERED,
        timeout=30,
        message="a new worker to deliver it",
    )
    time.sleep(VISIBILITY_TIMEOUT + 2)  # time for any other copy of the task to come and run

    assert len(receiver.requests) == 2
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    assert receiver.requests[0].body == receiver.requests[1].body
    for request in receiver.requests:
        Webhook(endpoint.secret).verify(request.body, request.headers)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    # The cut attempt died with its worker's transaction; the delivery logs the one that
    # the worker saw through.
    assert [a.status_code for a in delivery.attempt_log.all()] == [200]
    assert status_of(delivery) == Delivery.Status.DELIVERED


def test_the_worker_retries_a_500_itself_with_the_same_event_id(broker, start, endpoint, receiver):
    """The first wait of the schedule (5 s) is a task retry: no drain is needed."""
    receiver.answers = [500]
    delivery = services.delivery_create(
        endpoint=endpoint, type=EventType.TEST, data={"message": "test"}
    )
    start("webhooks-worker-retry")
    publish(delivery, broker.url)

    wait_until(
        lambda: status_of(delivery) == Delivery.Status.DELIVERED,
        timeout=30,
        message="the worker to deliver it at its second attempt",
    )
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.message_id] * 2

"""Celery tasks take ids and are safe to run twice (acknowledged late: ADR 0306, 0501)."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Delivery
from .services import delivery_deliver, webhooks_drain


@shared_task(bind=True, ignore_result=True, max_retries=None)
def deliver_webhook(self, delivery_id: str) -> None:
    delivery = delivery_deliver(delivery_id=delivery_id)
    if self.request.is_eager:
        return
    if delivery is None:
        # Held by another delivery (or a dead worker's transaction not rolled back yet):
        # look again shortly, as the notification outbox does.
        if Delivery.objects.filter(
            pk=delivery_id,
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=timezone.now(),
            endpoint__enabled=True,
        ).exists():
            self.retry(countdown=settings.OUTBOX_BACKOFF_SECONDS)
    elif delivery.status == Delivery.Status.PENDING:
        # Long waits (hours) are left to the drain rather than kept in the broker.
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        if wait <= 600:
            self.retry(countdown=max(wait, 1))


@shared_task(ignore_result=True)
def drain() -> int:
    return webhooks_drain()

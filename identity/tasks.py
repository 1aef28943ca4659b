"""Celery tasks take ids and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Notification
from .services import (
    deleted_accounts_purge,
    notification_deliver,
    notification_drain,
    pending_registrations_purge,
    preregistered_activations_purge,
)


@shared_task(bind=True, ignore_result=True, max_retries=None)
def deliver_notification(self, notification_id: str) -> None:
    notification = notification_deliver(notification_id=notification_id)
    if self.request.is_eager:
        return
    if notification is None:
        # Another delivery holds the row: a live worker sending it, or a worker that has just
        # died and whose transaction the database has not rolled back yet (ADR 0306). Look
        # again shortly; if it was sent meanwhile, nothing more happens.
        if Notification.objects.filter(
            pk=notification_id, status=Notification.Status.PENDING
        ).exists():
            self.retry(countdown=settings.OUTBOX_BACKOFF_SECONDS)
    elif notification.status == Notification.Status.PENDING:
        # Retry at the scheduled backoff; if this publish fails too, the drain takes over.
        wait = (notification.next_attempt_at - timezone.now()).total_seconds()
        self.retry(countdown=max(wait, 1))


@shared_task(ignore_result=True)
def outbox_drain() -> int:
    return notification_drain()


@shared_task(ignore_result=True)
def purge_pending_registrations() -> int:
    """Sign-ups never activated, and pre-registered activations whose link expired."""
    preregistered_activations_purge()
    return pending_registrations_purge()


@shared_task(ignore_result=True)
def purge_deleted_accounts() -> int:
    return deleted_accounts_purge()

"""Celery tasks take ids (or nothing) and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import vault
from .services import document_expiry_reminders_send


@shared_task(ignore_result=True)
def expiry_reminders() -> int:
    return document_expiry_reminders_send(today=timezone.localdate())


@shared_task(ignore_result=True)
def orphan_cleanup() -> int:
    """Stored objects no row points at, under every prefix (porte-documents, demandes,
    exports), once older than the grace period."""
    return vault.sweep(older_than_seconds=settings.GUICHET_LOCKER_ORPHAN_GRACE_SECONDS)

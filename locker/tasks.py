"""Celery tasks take ids (or nothing) and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .services import document_expiry_reminders_send, stored_orphans_remove


@shared_task(ignore_result=True)
def expiry_reminders() -> int:
    return document_expiry_reminders_send(today=timezone.localdate())


@shared_task(ignore_result=True)
def orphan_cleanup() -> int:
    return stored_orphans_remove(older_than_seconds=settings.GUICHET_LOCKER_ORPHAN_GRACE_SECONDS)

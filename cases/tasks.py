"""Periodic jobs of the cases app. Each is safe to run twice."""

from celery import shared_task

from .services import drafts_expire as drafts_expire_service
from .services import retention_purge as retention_purge_service


@shared_task(ignore_result=True)
def drafts_expire() -> dict:
    return drafts_expire_service()


@shared_task(ignore_result=True)
def retention_purge() -> dict:
    """Notices, trash and deletion of finished demandes at the end of retention (ADR 0406);
    each run's counts are in the admin (``PurgeRun``)."""
    run = retention_purge_service()
    return {
        "notices_sent": run.notices_sent,
        "trashed": run.trashed,
        "deleted": run.deleted,
        "errors": run.errors,
    }

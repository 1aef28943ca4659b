"""Periodic jobs of the cases app. Each is safe to run twice."""

from celery import shared_task

from .services import drafts_expire as drafts_expire_service


@shared_task(ignore_result=True)
def drafts_expire() -> dict:
    return drafts_expire_service()

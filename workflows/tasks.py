"""Periodic jobs of the instruction. Each is safe to run twice."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(ignore_result=True)
def fire_timers() -> int:
    """Fire the due flow timers (reminders, "no answer" tasks)."""
    return fire_due_timers()


@shared_task(ignore_result=True)
def build_export(export_id: str) -> None:
    from .exports import export_build

    export_build(export_id=export_id)


@shared_task(ignore_result=True)
def send_digests() -> int:
    from .digest import digests_send

    return digests_send()

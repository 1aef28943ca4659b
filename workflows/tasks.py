"""Periodic jobs of the instruction. Each is safe to run twice."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(ignore_result=True)
def fire_timers() -> int:
    """Fire the due flow timers (reminders, "no answer" tasks), and start the instruction of
    any submitted demande whose start failed."""
    from .services import instructions_start_missing

    instructions_start_missing()
    return fire_due_timers()


@shared_task(ignore_result=True)
def implicit_decisions() -> int:
    """Accept or refuse the demandes whose legal deadline passed without a decision
    (silence vaut accord / rejet, ADR 0405). Running it twice decides each demande once."""
    from .services import instructions_decide_due

    return instructions_decide_due()


@shared_task(ignore_result=True)
def build_export(export_id: str) -> None:
    from .exports import export_build

    export_build(export_id=export_id)


@shared_task(ignore_result=True)
def send_digests() -> int:
    from .digest import digests_send
    from .notifications import deadline_alerts_send

    return digests_send() + deadline_alerts_send()


@shared_task(ignore_result=True)
def expire_exports() -> int:
    """Exports are kept 32 hours: the row, the encrypted file and its key go."""
    from .exports import exports_expire

    return exports_expire()


@shared_task(ignore_result=True)
def repair_instruction() -> int:
    """Repair the demandes whose flow did not follow their status (see check_instruction)."""
    from .consistency import disagreements, repair

    return sum(repair(found) for found in list(disagreements()))


@shared_task(ignore_result=True)
def recount_queues() -> int:
    """Put right the queues' kept copies if anything drifted (ADR 0404); returns how many
    copies or counters were out of date."""
    from cases import counts

    from . import queue

    stale, drift = queue.stale(), counts.drift()
    queue.repair(stale)
    if drift:
        counts.rebuild()
    return len(stale) + len(drift)


@shared_task(ignore_result=True)
def avis_reminders() -> int:
    """One reminder to each expert whose avis is due and still awaited (ADR 0408)."""
    from .avis.services import avis_remind_due

    return avis_remind_due()

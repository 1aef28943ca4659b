"""Domain signals from ``cases`` that move the instruction flow (cases never imports us)."""

from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, Service
from cases.signals import applicant_replied, case_submitted, instructor_removed

from .flows import WAITING_NODES
from .notifications import event_notify
from .services import instruction_start, instructor_release_tasks


@receiver(case_submitted, sender=Case, dispatch_uid="workflows_start_instruction")
def start_instruction(sender, case, **kwargs):
    """Start the instruction once per submitted demande (safe if the signal comes twice)."""
    instruction_start(case)


@receiver(applicant_replied, sender=Case, dispatch_uid="workflows_applicant_replied")
def complete_waiting_task(sender, case, **kwargs):
    """The applicant's reply completes the parked ``wait_applicant`` task, if any.

    A reply that arrives while no task waits (e.g. the instructor's "no answer" task is
    open) stays in the discussion; the instructor resumes from that task.
    """
    task = (
        Task.objects.filter(
            process__caseprocess__case=case, flow_task__in=WAITING_NODES, status=STATUS.NEW
        )
        .order_by("-created")
        .first()
    )
    if task is not None:
        task.flow_task.run(task)


@receiver(applicant_replied, sender=Case, dispatch_uid="workflows_reply_notify")
def notify_reply(sender, case, **kwargs):
    """Tell whoever holds the demande (or its service) that the applicant replied, if they
    chose "at once" (ADR 0407). Connected after ``complete_waiting_task``: the holder is
    read once the flow has moved on."""
    event_notify(case=case, kind="reply")


@receiver(instructor_removed, sender=Service, dispatch_uid="workflows_instructor_removed")
def release_tasks(sender, service, user, **kwargs) -> int:
    """Someone no longer instructs the service: the demandes they held go back to the
    queue, in the transaction of the removal (ADR 0021). Returns how many, for the
    démarche's history."""
    return instructor_release_tasks(user=user, service=service)

"""Does each demande's status agree with what its instruction flow has open?

``Case.status`` is the business state; the flow only says who acts next. The table
``flows.OPEN_NODES_BY_STATUS`` lists which nodes may be open in each status. A demande
disagrees when a node is open that its status does not allow, or when it waits for the
service or the applicant and nothing is open. ``manage.py check_instruction`` lists them;
the beat job ``workflows.tasks.repair_instruction`` repairs what it can.
"""

from dataclasses import dataclass

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case

from .flows import OPEN_NODES_BY_STATUS, WAITING_NODES

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)
ACTIVE = (Case.Status.IN_INSTRUCTION, Case.Status.AWAITING_APPLICANT)


@dataclass(frozen=True)
class Disagreement:
    case: Case
    open_nodes: tuple[str, ...]

    @property
    def allowed(self) -> frozenset[str]:
        return OPEN_NODES_BY_STATUS[self.case.status]

    def __str__(self) -> str:
        shown = ", ".join(self.open_nodes) or "nothing"
        return f"{self.case.display_number}: {self.case.status} with {shown} open"


def open_nodes(case: Case) -> tuple[str, ...]:
    tasks = Task.objects.filter(process__caseprocess__case=case, status__in=OPEN)
    return tuple(sorted(task.flow_task.name for task in tasks))


def disagreement(case: Case) -> Disagreement | None:
    nodes = open_nodes(case)
    allowed = OPEN_NODES_BY_STATUS[case.status]
    if set(nodes) - allowed or (case.status in ACTIVE and not nodes):
        return Disagreement(case, nodes)
    return None


def disagreements():
    """Every demande whose status and open tasks disagree: demandes with an open task,
    and active demandes (which must have one)."""
    with_tasks = Task.objects.filter(status__in=OPEN).values("process__caseprocess__case")
    candidates = Case.objects.filter(pk__in=with_tasks) | Case.objects.filter(status__in=ACTIVE)
    for case in candidates.select_related("procedure").order_by("created_at").iterator():
        found = disagreement(case)
        if found is not None:
            yield found


def repair(found: Disagreement) -> bool:
    """Repair what has one right answer: a reply moved the demande back to the service but
    the flow did not follow (its waiting task is still open): the flow follows now."""
    if found.case.status != Case.Status.IN_INSTRUCTION:
        return False
    with transaction.atomic():
        task = (
            Task.objects.select_for_update()
            .filter(
                process__caseprocess__case=found.case,
                flow_task__in=WAITING_NODES,
                status=STATUS.NEW,
            )
            .first()
        )
        if task is None:
            return False
        task.flow_task.run(task)
    return disagreement(Case.objects.get(pk=found.case.pk)) is None


__all__ = ["OPEN", "Disagreement", "disagreement", "disagreements", "open_nodes", "repair"]

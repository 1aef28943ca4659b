"""The queues' copy of who acts next on each demande (ADR 0404).

The tabs "À traiter" and "Mes dossiers" and the list's "Pris par" column depend on the
open instructor task of each demande. Reading it through the flow's process and task
tables for every row of a service costs seconds at a million demandes; the demande
carries a copy instead (``Case.next_task_*``), with partial indexes over open work only.

Viewflow saves a task whenever it is created, taken, handed over, started, done or
cancelled: a ``post_save`` receiver copies the demande's open task in the same
transaction, so the copy commits or rolls back with the task. ``rebuild()`` recomputes
every copy set-wise (after bulk loads; ``check_instruction --repair`` and the nightly
job also run it).
"""

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case

from .flows import HUMAN_NODES
from .models import CaseProcess

quote = connection.ops.quote_name

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def open_instructor_tasks(case_ref):
    """The open instructor tasks of a demande, newest first."""
    return Task.objects.filter(
        process__caseprocess__case=case_ref, flow_task__in=HUMAN_NODES, status__in=OPEN
    ).order_by("-created")


def copy_for(case_id) -> None:
    """Copy the demande's open instructor task (or nothing) onto the demande."""
    task = open_instructor_tasks(case_id).values("pk", "owner_id", "status").first()
    Case.objects.filter(pk=case_id).update(
        next_task_id=task and task["pk"],
        next_task_owner_id=task and task["owner_id"],
        next_task_status=task["status"] if task else "",
    )


@receiver(post_save, sender=Task, dispatch_uid="workflows_queue_copy")
def task_saved(sender, instance: Task, raw=False, **kwargs):
    if raw or instance.flow_task not in HUMAN_NODES:
        return
    case_id = getattr(instance.process, "case_id", None)
    if case_id is None:
        case_id = (
            CaseProcess.objects.filter(pk=instance.process_id)
            .values_list("case_id", flat=True)
            .first()
        )
    if case_id is not None:
        copy_for(case_id)


def _with_open_task():
    return Task.objects.filter(flow_task__in=HUMAN_NODES, status__in=OPEN).values(
        "process__caseprocess__case"
    )


def _copied(queryset):
    open_task = open_instructor_tasks(OuterRef("pk"))
    return queryset.annotate(
        real_id=Subquery(open_task.values("pk")[:1]),
        real_owner=Subquery(open_task.values("owner_id")[:1]),
        real_status=Coalesce(Subquery(open_task.values("status")[:1]), Value("")),
    )


def stale() -> list[Case]:
    """Demandes whose copy differs from their flow (read over open work only)."""
    candidates = Case.objects.filter(Q(pk__in=_with_open_task()) | Q(next_task_id__isnull=False))
    return [
        case
        for case in _copied(candidates).order_by("submitted_at")
        if (case.next_task_id, case.next_task_owner_id, case.next_task_status)
        != (case.real_id, case.real_owner, case.real_status)
    ]


def repair(cases) -> None:
    """Recopy the given demandes, one short transaction each (safe beside live work)."""
    for case in cases:
        with transaction.atomic():
            copy_for(case.pk)


def rebuild() -> int:
    """Recopy every demande at once, set-wise (after a bulk load: a million demandes take
    seconds); returns how many demandes have an open instructor task. Not meant to run
    beside live instruction: use ``repair(stale())`` there."""
    case_table = quote(Case._meta.db_table)
    flow_task = Task._meta.get_field("flow_task")
    nodes = [flow_task.get_prep_value(node) for node in HUMAN_NODES]
    marks = ", ".join(["%s"] * len(nodes))
    states = ", ".join(["%s"] * len(OPEN))
    latest = f"""
        SELECT case_id, id, owner_id, status FROM (
            SELECT link.case_id, task.id, task.owner_id, task.status, ROW_NUMBER() OVER (
                PARTITION BY link.case_id ORDER BY task.created DESC, task.id DESC) AS rank
            FROM {quote(Task._meta.db_table)} task
            JOIN {quote(CaseProcess._meta.db_table)} link ON link.process_ptr_id = task.process_id
            WHERE task.flow_task IN ({marks}) AND task.status IN ({states})
        ) ranked WHERE rank = 1"""  # noqa: S608 - table names from the models, values bound
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {case_table} SET next_task_id = NULL, next_task_owner_id = NULL, "  # noqa: S608
            "next_task_status = '' WHERE next_task_id IS NOT NULL"
        )
        cursor.execute(
            f"UPDATE {case_table} SET next_task_id = latest.id, "  # noqa: S608
            "next_task_owner_id = latest.owner_id, next_task_status = latest.status "
            f"FROM ({latest}) latest WHERE {case_table}.id = latest.case_id",
            [*nodes, *OPEN],
        )
        return cursor.rowcount

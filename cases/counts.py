"""Per-démarche counts of demandes by status, kept on every transition (ADR 0404).

The instructors' tabs show how many demandes each holds. Counting a service's whole
history on every page costs seconds at a million demandes; these counters cost a few
rows. Every status change goes through a django-fsm transition, whose ``post_transition``
signal moves one demande from one counter to the other in the transition's own
transaction; deleting a submitted demande takes it out. ``rebuild()`` recounts from the
demandes (after bulk loads, and nightly against any drift).
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_fsm.signals import post_transition

from .models import Case, StatusCount

UNCOUNTED = Case.Status.DRAFT


def _add(procedure_id: int, status: str, delta: int) -> None:
    if status == UNCOUNTED:
        return
    counter = StatusCount.objects.filter(procedure_id=procedure_id, status=status)
    if not counter.update(count=F("count") + delta):
        StatusCount.objects.bulk_create(
            [StatusCount(procedure_id=procedure_id, status=status)], ignore_conflicts=True
        )
        counter.update(count=F("count") + delta)


@receiver(post_transition, sender=Case, dispatch_uid="cases_count_transition")
def count_transition(sender, instance: Case, source, target, **kwargs):
    """One demande leaves ``source`` for ``target``. The two rows are always updated in
    the same order, so two transitions crossing each other cannot deadlock."""
    if source == target:
        return
    for status, delta in sorted(((source, -1), (target, 1))):
        _add(instance.procedure_id, status, delta)


@receiver(post_delete, sender=Case, dispatch_uid="cases_count_delete")
def count_delete(sender, instance: Case, **kwargs):
    _add(instance.procedure_id, instance.status, -1)


def totals(procedure_ids) -> Counter:
    """Demandes by status over the given démarches."""
    rows = StatusCount.objects.filter(procedure_id__in=procedure_ids).values_list("status", "count")
    found = Counter()
    for status, count in rows:
        found[status] += count
    return found


def recount() -> list[StatusCount]:
    """The counters as the demandes say they should be."""
    return [
        StatusCount(procedure_id=row["procedure_id"], status=row["status"], count=row["n"])
        for row in Case.objects.exclude(status=UNCOUNTED)
        .values("procedure_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ]


def drift() -> list[tuple[int, str, int, int]]:
    """Counters that disagree with the demandes: (procedure, status, kept, actual)."""
    actual = {(c.procedure_id, c.status): c.count for c in recount()}
    kept = {(c.procedure_id, c.status): c.count for c in StatusCount.objects.all()}
    return [
        (procedure, status, kept.get((procedure, status), 0), count)
        for (procedure, status) in sorted(actual.keys() | kept.keys())
        if (count := actual.get((procedure, status), 0)) != kept.get((procedure, status), 0)
    ]


def rebuild() -> int:
    """Recount every counter. The counter rows are locked first: a transition running
    meanwhile waits, then adds its move to the recount, which did not see it."""
    with transaction.atomic():
        list(StatusCount.objects.select_for_update().order_by("procedure_id", "status"))
        fresh = recount()
        StatusCount.objects.update(count=0)
        StatusCount.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["procedure", "status"],
            update_fields=["count"],
        )
    return len(fresh)

"""Counts of demandes by démarche, instructing service and status, kept on every
transition (ADR 0404; keyed by service since routing, ADR 0023).

The instructors' tabs show how many demandes each holds. Counting a service's whole
history on every page costs seconds at a million demandes; these counters cost a few
rows. Every status change goes through a django-fsm transition, whose ``post_transition``
signal moves one demande from one counter to the other in the transition's own
transaction; deleting a submitted demande takes it out. ``rebuild()`` recounts from the
demandes (after bulk loads, and nightly against any drift).

A demande's service is set once, before its submission (the transition that first counts
it) and never changes after: a future feature moving a demande to another service must
move its counter in the same transaction.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_fsm.signals import post_transition

from .models import Case, StatusCount

UNCOUNTED = Case.Status.DRAFT


def _add(case: Case, status: str, delta: int) -> None:
    if status == UNCOUNTED:
        return
    key = {"procedure_id": case.procedure_id, "service_id": case.service_id, "status": status}
    counter = StatusCount.objects.filter(**key)
    if not counter.update(count=F("count") + delta):
        StatusCount.objects.bulk_create([StatusCount(**key)], ignore_conflicts=True)
        counter.update(count=F("count") + delta)


@receiver(post_transition, sender=Case, dispatch_uid="cases_count_transition")
def count_transition(sender, instance: Case, source, target, **kwargs):
    """One demande leaves ``source`` for ``target``. The two rows are always updated in
    the same order, so two transitions crossing each other cannot deadlock."""
    if source == target:
        return
    for status, delta in sorted(((source, -1), (target, 1))):
        _add(instance, status, delta)


@receiver(post_delete, sender=Case, dispatch_uid="cases_count_delete")
def count_delete(sender, instance: Case, **kwargs):
    _add(instance, instance.status, -1)


def totals(service_ids, procedure_id=None) -> Counter:
    """Demandes by status routed to the given services (of one démarche if given)."""
    rows = StatusCount.objects.filter(service_id__in=service_ids)
    if procedure_id is not None:
        rows = rows.filter(procedure_id=procedure_id)
    rows = rows.values_list("status", "count")
    found = Counter()
    for status, count in rows:
        found[status] += count
    return found


def recount() -> list[StatusCount]:
    """The counters as the demandes say they should be."""
    return [
        StatusCount(
            procedure_id=row["procedure_id"],
            service_id=row["service_id"],
            status=row["status"],
            count=row["n"],
        )
        for row in Case.objects.exclude(status=UNCOUNTED)
        .values("procedure_id", "service_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ]


def _key(counter: StatusCount) -> tuple[int, int, str]:
    return (counter.procedure_id, counter.service_id, counter.status)


def drift() -> list[tuple[int, int, str, int, int]]:
    """Counters that disagree with the demandes: (procedure, service, status, kept,
    actual)."""
    actual = {_key(c): c.count for c in recount()}
    kept = {_key(c): c.count for c in StatusCount.objects.all()}
    return [
        (*key, kept.get(key, 0), count)
        for key in sorted(actual.keys() | kept.keys())
        if (count := actual.get(key, 0)) != kept.get(key, 0)
    ]


def rebuild() -> int:
    """Recount every counter. The counter rows are locked first: a transition running
    meanwhile waits, then adds its move to the recount, which did not see it."""
    with transaction.atomic():
        list(
            StatusCount.objects.select_for_update().order_by("procedure_id", "service_id", "status")
        )
        fresh = recount()
        StatusCount.objects.update(count=0)
        StatusCount.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["procedure", "service", "status"],
            update_fields=["count"],
        )
    return len(fresh)

"""Reads of the instruction, scoped to the instructor who asks: anything outside their
services is a 404."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil

from django.db.models import Count, F, Q
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import counts, numbers
from cases.models import Case, CaseFile, DeletedCase, Procedure, Service, StatusCount
from identity.models import User

from .flows import HUMAN_NODES, WAITING_NODES
from .models import Export
from .queue import open_instructor_tasks

TABS = ("a_traiter", "mes_dossiers", "echeances", "attente", "traites", "tous")
# The column each tab is listed (and paged) by; "Bientôt échues" lists the running
# implicit-decision deadlines nearest first (ADR 0405), the others by submission.
ORDER_FIELD = {"echeances": "deadline_at"}
PAGE_SIZE = 25


def services_of(user: User):
    return Service.objects.filter(instructors=user)


def is_instructor(user: User) -> bool:
    return user.is_authenticated and services_of(user).exists()


def cases_for_instructor(user: User):
    """The filed demandes routed to one of the user's services (ADR 0023): a demande
    instructed by another service of the same démarche is not theirs."""
    return Case.objects.exclude(status=Case.Status.DRAFT).filter(service__instructors=user)


def case_for_instructor(*, user: User, number: str) -> Case:
    case = (
        cases_for_instructor(user)
        .select_related("procedure", "service", "version", "created_by")
        .filter(number=numbers.normalise(number))
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_for_task(*, user: User, task: Task) -> Case:
    case = (
        cases_for_instructor(user)
        .select_related("procedure", "service", "version", "created_by")
        .filter(instruction_processes__pk=task.process_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_file_for_instructor(*, case: Case, file_id) -> CaseFile:
    file = CaseFile.objects.filter(case=case, pk=file_id).first()
    if file is None:
        raise Http404
    return file


def open_task(case: Case) -> Task | None:
    """The human task waiting on this demande, if any (None while the applicant has to act)."""
    return open_instructor_tasks(case).select_related("owner").first()


def waiting_task(case: Case) -> Task | None:
    return (
        Task.objects.filter(
            process__caseprocess__case=case, flow_task__in=WAITING_NODES, status=STATUS.NEW
        )
        .order_by("-created")
        .first()
    )


def task_for_instructor(*, user: User, task_id: int) -> Task:
    task = (
        Task.objects.filter(
            pk=task_id,
            flow_task__in=HUMAN_NODES,
            process__caseprocess__case__service__instructors=user,
        )
        .select_related("owner")
        .first()
    )
    if task is None:
        raise Http404
    return task


def colleagues_of(user: User):
    """Instructors sharing at least one service with the user (the user included)."""
    return (
        User.objects.filter(instruction_services__in=services_of(user))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def procedures_of(user: User):
    """The démarches the user may filter the queue on: those of their services, those
    routing demandes to their services, and those whose demandes their services hold
    (a rule since removed), read from the few counter rows."""
    services = services_of(user)
    return (
        Procedure.objects.filter(
            Q(service__in=services)
            | Q(routing_rules__service__in=services)
            | Q(pk__in=StatusCount.objects.filter(service__in=services).values("procedure"))
        )
        .distinct()
        .order_by("title")
    )


def _service_ids(user: User) -> list[int]:
    return list(services_of(user).values_list("pk", flat=True))


def _scope(service_ids: list[int], filters: dict) -> Q:
    """The demandes routed to the user's services (of the filter's démarche if any): a
    short list of service ids lets every queue query use the demandes' own indexes
    (ADR 0023)."""
    scope = Q(service_id__in=service_ids)
    chosen = filters.get("procedure")
    return scope & Q(procedure_id=chosen) if chosen else scope


def _tab_filter(tab: str, user: User) -> Q:
    """Each tab over the demande's own columns (its copy of the open task, ADR 0404)."""
    return {
        "a_traiter": Q(next_task_status=STATUS.NEW),
        "mes_dossiers": Q(next_task_owner=user),
        # Running deadlines only: a suspended one waits for the applicant ("attente").
        "echeances": Q(status=Case.Status.IN_INSTRUCTION, deadline_at__isnull=False),
        "attente": Q(status=Case.Status.AWAITING_APPLICANT),
        "traites": Q(status__in=Case.FINISHED),
        "tous": Q(),
    }[tab]


# Filters the kept counters can answer; any other filter counts the filtered demandes.
COUNTED_FILTERS = {"procedure"}


def queue_counts(*, user: User, filters: dict) -> dict:
    """The count of every tab. Without filters (or with a démarche only) the history tabs
    read the kept per-status counters and the open-work tabs count over their partial
    indexes: nothing scans the service's history (ADR 0404, 0023). Other filters count the
    demandes they select."""
    if set(filters) - COUNTED_FILTERS:
        queryset = filter_cases(cases_for_instructor(user), user, filters)
        return queryset.aggregate(
            **{tab: Count("pk", filter=_tab_filter(tab, user)) for tab in TABS}
        )
    service_ids = _service_ids(user)
    scope = _scope(service_ids, filters)
    by_status = counts.totals(service_ids, filters.get("procedure") or None)
    # The WHERE names the three tabs, so only their partial indexes are read (open work).
    new, mine = Q(next_task_status=STATUS.NEW), Q(next_task_owner=user)
    due = _tab_filter("echeances", user)
    open_work = (
        Case.objects.filter(scope)
        .filter(new | mine | due)
        .aggregate(
            a_traiter=Count("pk", filter=new),
            mes_dossiers=Count("pk", filter=mine),
            echeances=Count("pk", filter=due),
        )
    )
    return {
        **open_work,
        "attente": by_status[Case.Status.AWAITING_APPLICANT],
        "traites": sum(by_status[status] for status in Case.FINISHED),
        "tous": sum(by_status.values()),
    }


def filter_cases(queryset, user: User, filters: dict):
    if filters.get("procedure"):
        queryset = queryset.filter(procedure_id=filters["procedure"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("submitted_from"):
        queryset = queryset.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        queryset = queryset.filter(submitted_at__date__lte=filters["submitted_to"])
    if filters.get("instructor"):
        queryset = queryset.filter(next_task_owner_id=filters["instructor"])
    search = (filters.get("q") or "").strip()
    if search:
        words = Q(applicant_email__icontains=search)
        for word in search.split():
            words |= Q(created_by__last_name__icontains=word) | Q(
                created_by__first_name__icontains=word
            )
        normalised = numbers.normalise(search)
        if normalised:
            words |= Q(number__startswith=normalised)
        queryset = queryset.filter(words)
    return queryset


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def make_cursor(case: Case, field: str = "submitted_at") -> str:
    """``<microseconds since epoch>-<uuid>``: URL-safe, exact to the microsecond."""
    return f"{(getattr(case, field) - EPOCH) // timedelta(microseconds=1)}_{case.pk}"


def parse_cursor(value: str):
    """A cursor → (datetime, uuid), or None when absent or malformed (first page)."""
    try:
        micros, pk = value.split("_", 1)
        return EPOCH + timedelta(microseconds=int(micros)), uuid.UUID(pk)
    except (ValueError, AttributeError, OverflowError):
        return None


def queue_list(*, user: User, tab: str, filters: dict):
    """The demandes of a tab as the list shows them (filters applied), with their open
    task: the screen pages through it, the export writes all of it."""
    return (
        filter_cases(
            Case.objects.filter(_scope(_service_ids(user), filters)).exclude(
                status=Case.Status.DRAFT
            ),
            user,
            filters,
        )
        .filter(_tab_filter(tab, user))
        .select_related("procedure", "created_by")
        .annotate(
            task_id=F("next_task_id"),
            task_owner_id=F("next_task_owner_id"),
            task_status=F("next_task_status"),
        )
    )


def queue_order(sort: str, tab: str = "") -> tuple[str, str]:
    if tab in ORDER_FIELD:
        return (ORDER_FIELD[tab], "id")  # nearest deadline first, whatever the sort
    return ("submitted_at", "id") if sort == "oldest" else ("-submitted_at", "-id")


def _keyset(
    queryset, *, descending: bool, cursor, limit: int, field: str = "submitted_at"
) -> list[Case]:
    """Up to ``limit`` rows strictly beyond ``cursor`` in the given direction."""
    if cursor is not None:
        moment, pk = cursor
        # The bound on the field alone repeats what the OR says: PostgreSQL starts the
        # index scan at the cursor with it, instead of filtering every row before it.
        if descending:
            queryset = queryset.filter(
                Q(**{f"{field}__lte": moment}),
                Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "id__lt": pk}),
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gte": moment}),
                Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "id__gt": pk}),
            )
    order = (f"-{field}", "-id") if descending else (field, "id")
    return list(queryset.order_by(*order)[:limit])


@dataclass
class QueuePage:
    """A page of a queue, where it sits in the list and the cursors around it."""

    rows: list
    number: int
    page_count: int
    next_cursor: str | None = None
    # None on page 2: its previous page is the first page, reached without a cursor.
    previous_cursor: str | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def page_count(total: int) -> int:
    return max(1, ceil(total / PAGE_SIZE))


def queue_page(
    *,
    user: User,
    tab: str,
    filters: dict,
    total: int,
    sort: str = "recent",
    after=None,
    before=None,
    last: bool = False,
    number: int = 1,
) -> QueuePage:
    """One page of the tab by keyset pagination on (submitted_at, id): no OFFSET, so a far
    page (the last one included) costs what the first one does.

    ``after`` walks forward from a cursor, ``before`` walks back from one, ``last`` reads
    the end of the list backwards. ``total`` is the tab's count, already known to the
    screen: it gives the number of pages and the size of the last page, so pages stay
    aligned on multiples of ``PAGE_SIZE`` from the start. ``number`` is the page number
    the link carried; it is only displayed, and corrected at either end of the list.
    See ADR 0401.
    """
    queryset = queue_list(user=user, tab=tab, filters=filters)
    pages = page_count(total)
    field = ORDER_FIELD.get(tab, "submitted_at")
    descending = sort != "oldest" and tab not in ORDER_FIELD
    if last or before is not None:
        size = (total - (pages - 1) * PAGE_SIZE) if last and total else PAGE_SIZE
        cursor = None if last else before
        fetched = _keyset(
            queryset, descending=not descending, cursor=cursor, limit=size + 1, field=field
        )
        rows = fetched[:size][::-1]
        more_before = len(fetched) > size
        number = pages if last else (min(max(number, 2), pages) if more_before else 1)
        return QueuePage(
            rows=rows,
            number=number,
            page_count=pages,
            next_cursor=make_cursor(rows[-1], field) if rows and not last else None,
            previous_cursor=make_cursor(rows[0], field) if more_before and number > 2 else None,
        )
    fetched = _keyset(
        queryset, descending=descending, cursor=after, limit=PAGE_SIZE + 1, field=field
    )
    rows = fetched[:PAGE_SIZE]
    more_after = len(fetched) > PAGE_SIZE
    if after is None:
        number = 1
    elif not more_after:
        number = pages
    else:
        number = min(max(number, 2), pages)
    return QueuePage(
        rows=rows,
        number=number,
        page_count=pages,
        next_cursor=make_cursor(rows[-1], field) if more_after else None,
        previous_cursor=make_cursor(rows[0], field) if rows and number > 2 else None,
    )


def deleted_cases_for_instructor(user: User):
    """The records of the demandes of the user's services deleted at the end of their
    retention (ADR 0406), newest first: no personal data, only number, démarche, dates."""
    return DeletedCase.objects.filter(service__instructors=user).order_by("-deleted_at", "-id")


def case_private_notes(case: Case):
    return case.private_notes.select_related("author")


def exports_of(user: User):
    return Export.objects.filter(requested_by=user)[:5]


def export_for(*, user: User, export_id) -> Export:
    export = Export.objects.filter(
        pk=export_id, requested_by=user, state=Export.State.READY
    ).first()
    if export is None:
        raise Http404
    return export

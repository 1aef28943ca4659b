"""Reads of cases scoped to who asks: a case outside the caller's reach is a 404.

An account holder reaches the demandes of the space they act in (the request's current
space, ``identity.selectors.current_space``), nothing else. A tracking session (email +
number, or an emailed link) opens one demande filed without an account or from a personal
space; a demande of an organisation is reached from its space only, so a removed member
loses it at their next request (ADR 0308)."""

from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Cast
from django.http import Http404

from identity.models import SecurityEvent, Space, SpaceEvent, User
from locker.models import DocumentChange
from locker.selectors import documents_for

from . import numbers, tracking
from .models import Case, CaseEvent, CaseFile, CaseMessage, Procedure

_DRAFTS_KEY = "draft_cases"


def procedures_open():
    return [p for p in Procedure.objects.filter(current_version__isnull=False) if p.is_open()]


def procedure_open_by_slug(*, slug: str) -> Procedure:
    procedure = Procedure.objects.select_related("current_version").filter(slug=slug).first()
    if procedure is None or procedure.current_version is None or not procedure.is_open():
        raise Http404
    return procedure


def remember_draft(session, case: Case) -> None:
    """An anonymous filer reaches their draft through their own session only."""
    session[_DRAFTS_KEY] = [*session.get(_DRAFTS_KEY, []), str(case.pk)][-20:]


def draft_for(*, space: Space | None, session, case_id) -> Case:
    """A draft of ``space`` (the current space of a logged-in person), or, without an
    account (``space`` None), a draft this session started."""
    queryset = Case.objects.select_related("procedure", "version").filter(
        pk=case_id, status=Case.Status.DRAFT
    )
    if space is not None:
        case = queryset.filter(space=space).first()
    else:
        case = queryset.filter(space__isnull=True, created_by__isnull=True).first()
        if case is not None and str(case.pk) not in session.get(_DRAFTS_KEY, []):
            case = None
    if case is None:
        raise Http404
    return case


def case_for_applicant(*, space: Space | None, session, number: str) -> Case:
    """A submitted case of ``space`` (the current space), or one opened by tracking. A
    demande in the trash (end of retention, ADR 0406) is a 404."""
    queryset = Case.objects.select_related("procedure", "version", "space").filter(
        number=numbers.normalise(number), trashed_at__isnull=True
    )
    case = queryset.first()
    if case is None:
        raise Http404
    in_space = space is not None and case.space_id == space.pk
    if not in_space and not (trackable(case) and str(case.pk) in tracking.granted_ids(session)):
        raise Http404
    return case


def trackable(case: Case) -> bool:
    """Whether following without an account may open this case: not an organisation's."""
    return case.space_id is None or case.space.kind == Space.Kind.PERSONAL


def case_file_for_applicant(*, case: Case, file_id) -> CaseFile:
    file = CaseFile.objects.filter(case=case, pk=file_id).first()
    if file is None:
        raise Http404
    return file


def case_page_data(*, case: Case) -> dict:
    """Files, timeline and discussion of one case, in a fixed number of queries."""
    files = list(case.files.filter(message__isnull=True))
    events = list(case.events.select_related("actor"))
    thread = list(
        CaseMessage.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(Prefetch("files", queryset=CaseFile.objects.order_by("created_at")))
    )
    return {"files": files, "events": events, "thread": thread}


def cases_for_space(*, space: Space, finished: bool, search: str = ""):
    last_event = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id")
    queryset = (
        Case.objects.filter(space=space, trashed_at__isnull=True)
        .select_related("procedure")
        .annotate(
            last_event_kind=Subquery(last_event.values("kind")[:1]),
            last_event_at=Subquery(last_event.values("created_at")[:1]),
        )
        .order_by("-updated_at")
    )
    queryset = (
        queryset.filter(status__in=Case.FINISHED)
        if finished
        else queryset.exclude(status__in=Case.FINISHED)
    )
    if search:
        queryset = queryset.filter(number__icontains=numbers.normalise(search))
    return queryset


ACTIVITY_LABELS = {
    "case": dict(CaseEvent.Kind.choices),
    "locker": dict(DocumentChange.Action.choices),
    "security": dict(SecurityEvent.Kind.choices),
    "space": dict(SpaceEvent.Kind.choices),
}


def activity_for_space(*, space: Space, user: User):
    """The space's feed, newest first: every timeline entry of its demandes, every change in
    its porte-documents, and the user's own security log (personal space) or the
    organisation's log (who did what), as one paginable UNION query (rows: source, kind,
    at, title, reference)."""
    text = models.CharField()

    def shape(queryset, source, *, kind, at, title, reference):
        return (
            queryset.annotate(
                source=Value(source, output_field=text),
                entry_kind=Cast(kind, text),
                happened_at=F(at),
                title=Cast(title, text),
                reference=Cast(reference, text),
            )
            .values_list("source", "entry_kind", "happened_at", "title", "reference")
            .order_by()
        )

    cases = shape(
        CaseEvent.objects.filter(case__space=space, case__trashed_at__isnull=True),
        "case",
        kind="kind",
        at="created_at",
        title="case__procedure__title",
        reference="case__number",
    )
    documents = shape(
        DocumentChange.objects.filter(document__space=space),
        "locker",
        kind="action",
        at="at",
        title="document__title",
        reference="file_name",
    )
    if space.kind == Space.Kind.PERSONAL:
        account = shape(
            SecurityEvent.objects.filter(user=user),
            "security",
            kind="kind",
            at="created_at",
            title="device",
            reference="detail",
        )
    else:
        account = shape(
            SpaceEvent.objects.filter(space=space),
            "space",
            kind="kind",
            at="created_at",
            title="actor_name",
            reference="subject_name",
        )
    return cases.union(documents, account, all=True).order_by("-happened_at")


def tracking_lookup(*, email: str, number: str) -> Case | None:
    """The submitted case with that number and applicant email, else None (one answer).
    An organisation's demandes are followed from the organisation's space only."""
    return (
        Case.objects.exclude(status=Case.Status.DRAFT)
        .exclude(space__kind=Space.Kind.ORGANISATION)
        .filter(
            number=numbers.normalise(number),
            applicant_email__iexact=email.strip(),
            trashed_at__isnull=True,
        )
        .first()
    )


def case_by_link(payload: dict) -> Case | None:
    """The case a signed link names, if its applicant email has not changed since."""
    return (
        Case.objects.exclude(status=Case.Status.DRAFT)
        .select_related("space")
        .filter(
            pk=payload.get("case"),
            applicant_email__iexact=payload.get("email", ""),
            trashed_at__isnull=True,
        )
        .first()
    )


def locker_documents_for(*, case: Case) -> list:
    """The documents of the case's space the applicant may join from the porte-documents
    (none without an account)."""
    return list(documents_for(space=case.space)) if case.space_id else []

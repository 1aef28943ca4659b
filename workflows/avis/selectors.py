"""Reads of the expert opinions. An instructor reaches the avis of the demandes of their
services (the caller has already checked the demande); an expert reaches only the avis
given to their own account while it is awaited or answered: anything else is a 404."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, CaseFile
from identity.models import User

from .models import Avis, AvisEvent, AvisFile


def avis_for_case(*, case: Case) -> list[Avis]:
    """Every avis of the demande, for its instructors, with their files, oldest first."""
    return list(
        Avis.objects.filter(case=case)
        .select_related("asked_by", "expert")
        .prefetch_related(
            "files", Prefetch("shared_files", queryset=CaseFile.objects.order_by("created_at"))
        )
    )


def avis_of_case(*, case: Case, avis_id) -> Avis:
    avis = (
        Avis.objects.select_related("case__procedure", "case__service")
        .filter(case=case, pk=avis_id)
        .first()
    )
    if avis is None:
        raise Http404
    return avis


def answer_file_of(*, avis: Avis, file_id) -> AvisFile:
    file = AvisFile.objects.filter(avis=avis, pk=file_id).first()
    if file is None:
        raise Http404
    return file


class _Entry:
    """An avis step shaped like a ``CaseEvent`` for the instructors' timeline."""

    status = ""

    def __init__(self, event: AvisEvent):
        self.created_at, self.actor = event.created_at, event.actor
        detail = event.avis.email
        if event.avis.confidential:
            detail = _("%(email)s, confidentiel") % {"email": detail}
        self.label = f"{event.get_kind_display()} ({detail})"

    def get_kind_display(self):
        return self.label

    def get_actor_role_display(self):
        return CaseEvent.Role.SYSTEM.label


def instructor_timeline(*, case: Case, events) -> list:
    """The demande's timeline for its instructors: its events and every avis step, in time
    order (the applicant-facing "avis demandé" entry is replaced by the detailed steps)."""
    steps = AvisEvent.objects.filter(avis__case=case).select_related("avis", "actor")
    merged = [e for e in events if e.kind != CaseEvent.Kind.EXPERT_OPINION]
    merged += [_Entry(step) for step in steps]
    return sorted(merged, key=lambda entry: entry.created_at)


def avis_of_expert(*, user: User):
    """The expert's avis, newest first (every status: they see where each one stands)."""
    return (
        Avis.objects.filter(expert=user)
        .select_related("case__procedure", "case__service")
        .order_by("-created_at")
    )


def avis_for_expert(*, user: User, avis_id) -> Avis:
    """An avis given to ``user`` and still open to them (awaited or answered)."""
    avis = (
        Avis.objects.filter(
            pk=avis_id,
            expert=user,
            status__in=[Avis.Status.PENDING, Avis.Status.ANSWERED],
        )
        .select_related("case__procedure", "case__service")
        .prefetch_related("files", "shared_files")
        .first()
    )
    if avis is None or not user.is_authenticated:
        raise Http404
    return avis


def shared_file_for_expert(*, avis: Avis, file_id) -> CaseFile:
    """One of the files the instructor chose to share with this avis."""
    file = avis.shared_files.filter(pk=file_id).select_related("case").first()
    if file is None:
        raise Http404
    return file


def pending_count(*, case: Case) -> int:
    return Avis.objects.filter(case=case, status=Avis.Status.PENDING).count()


def with_avis_counts(queryset):
    """The demandes with ``avis_asked`` and ``avis_answered`` (for the exports): two
    correlated counts, no join that would repeat a demande's row."""

    def count(**filters):
        rows = (
            Avis.objects.filter(case=OuterRef("pk"), **filters)
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return queryset.annotate(avis_asked=count(), avis_answered=count(status=Avis.Status.ANSWERED))

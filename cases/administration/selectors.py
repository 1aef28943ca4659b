"""Who administers which démarche. Every page of the administration goes through
``procedure_administered``: a démarche the user does not administer is a 404; a
superuser administers every démarche."""

from django.db.models import Count
from django.http import Http404

from cases.models import Case, Procedure, ProcedureChange, ProcedureVersion, Service
from identity.models import User


def procedures_administered(user: User):
    if user.is_superuser:
        return Procedure.objects.order_by("title")
    return Procedure.objects.filter(administrators=user).order_by("title")


def may_administer(user: User) -> bool:
    """Who enters /administration/: a démarche's administrator, or a superuser."""
    return user.is_authenticated and (
        user.is_superuser or Procedure.objects.filter(administrators=user).exists()
    )


def procedure_administered(*, user: User, slug: str) -> Procedure:
    procedure = (
        procedures_administered(user)
        .filter(slug=slug)
        .select_related("service", "current_version")
        .first()
    )
    if procedure is None:
        raise Http404
    return procedure


def case_count(procedure: Procedure) -> int:
    """Demandes of the démarche, drafts included (all of them hold a version)."""
    return Case.objects.filter(procedure=procedure).count()


def versions_of(procedure: Procedure):
    """The démarche's versions, newest first, each with ``case_count``."""
    return procedure.versions.annotate(case_count=Count("cases")).order_by("-number")


def version_of(*, procedure: Procedure, number) -> ProcedureVersion:
    version = procedure.versions.filter(number=number).first() if str(number).isdigit() else None
    if version is None:
        raise Http404
    return version


def history_of(procedure: Procedure):
    return ProcedureChange.objects.filter(procedure=procedure).select_related("actor")


def services_for_new_procedures(user: User):
    """The services a new (imported) démarche may belong to: those of the démarches the
    user administers; every service for a superuser."""
    if user.is_superuser:
        return Service.objects.order_by("name")
    return Service.objects.filter(procedures__administrators=user).distinct().order_by("name")


def cases_by_stage(procedure: Procedure) -> dict[str, int]:
    """The démarche's demandes: ``drafts`` (not submitted yet) and ``filed``; each keeps
    the version it was started with when a new one is published."""
    drafts = Case.objects.filter(procedure=procedure, status=Case.Status.DRAFT).count()
    return {"drafts": drafts, "filed": case_count(procedure) - drafts}


def next_version_number(procedure: Procedure) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1

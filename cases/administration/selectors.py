"""Who administers which démarche. Every page of the administration goes through
``procedure_administered``: a démarche the user does not administer is a 404; a
superuser administers every démarche."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases import formdef, notifications, numbers
from cases.models import (
    Case,
    CaseEvent,
    Procedure,
    ProcedureChange,
    ProcedureVersion,
    RoutingRule,
    Service,
)
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
    """The services a démarche the user creates, imports or sets up may belong to: those
    of the démarches they administer, and those created from one of these démarches (the
    team page, ADR 0021); every service for a superuser."""
    if user.is_superuser:
        return Service.objects.order_by("name")
    created = [
        details.get("service_id")
        for details in ProcedureChange.objects.filter(
            procedure__administrators=user, action=ProcedureChange.Action.SERVICE_CREATED
        ).values_list("details", flat=True)
        if isinstance(details, dict)
    ]
    return (
        Service.objects.filter(
            Q(procedures__administrators=user) | Q(pk__in=[pk for pk in created if pk])
        )
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class TeamMember:
    user: User
    since: datetime | None  # the latest invitation through this page, when there was one


def instructors_of(procedure: Procedure) -> list[TeamMember]:
    """The instructors of the démarche's service, by name, with the date of their latest
    invitation (from the history of every démarche of the service)."""
    invited = {}
    for details, at in ProcedureChange.objects.filter(
        procedure__service=procedure.service_id, action=ProcedureChange.Action.INSTRUCTOR_INVITED
    ).values_list("details", "at"):
        email = (details or {}).get("email", "") if isinstance(details, dict) else ""
        if email and (email not in invited or invited[email] < at):
            invited[email] = at
    users = procedure.service.instructors.order_by("last_name", "first_name", "email")
    return [TeamMember(user, invited.get(user.email.lower())) for user in users]


def administrators_of(procedure: Procedure):
    return procedure.administrators.order_by("last_name", "first_name", "email")


def other_procedures_of_service(procedure: Procedure):
    """The other démarches of the démarche's service: its instructors work on them too."""
    return Procedure.objects.filter(service=procedure.service_id).exclude(pk=procedure.pk)


def instructor_of(*, procedure: Procedure, user_id: int) -> User:
    user = procedure.service.instructors.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def administrator_of(*, procedure: Procedure, user_id: int) -> User:
    user = procedure.administrators.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def cases_by_stage(procedure: Procedure) -> dict[str, int]:
    """The démarche's demandes: ``drafts`` (not submitted yet) and ``filed``; each keeps
    the version it was started with when a new one is published."""
    drafts = Case.objects.filter(procedure=procedure, status=Case.Status.DRAFT).count()
    return {"drafts": drafts, "filed": case_count(procedure) - drafts}


def next_version_number(procedure: Procedure) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


# --- Email preview (ADR 0022) -------------------------------------------------------------

# A fictitious demande number (valid check symbol) for previews.
SAMPLE_NUMBER = "K7QXM3PA9" + numbers.check_symbol("K7QXM3PA9")
SAMPLE_EMAIL = "camille.exemple@example.fr"


def _sample_case(procedure: Procedure, key: str, text: str) -> Case:
    """An unsaved demande of an unsaved copy of ``procedure`` whose only email text is
    ``text`` for ``key``: nothing of it reaches the database."""
    copy = Procedure(
        title=procedure.title,
        slug=procedure.slug,
        service=procedure.service,
        email_texts={key: text} if text else {},
    )
    now = timezone.now()
    return Case(
        procedure=copy,
        number=SAMPLE_NUMBER,
        applicant_email=SAMPLE_EMAIL,
        submitted_at=now,
        expires_at=now + timedelta(days=14),
    )


def sample_values(procedure: Procedure) -> dict[str, str]:
    """What each variable becomes in the previews of ``procedure``."""
    return notifications.text_values(_sample_case(procedure, "", ""), timezone.now())


def email_preview(*, procedure: Procedure, key: str, text: str) -> dict[str, str]:
    """The email ``key`` (a key of ``email_texts.EVENTS``) with ``text`` as the démarche's
    text, for a fictitious demande: ``subject``, ``text`` and ``html`` exactly as
    ``notifications.notify`` would enqueue them. Sends nothing, writes nothing."""
    event, _sep, status = key.partition("_") if key.startswith("decision_") else (key, "", "")
    case = _sample_case(procedure, key, text)
    cause = CaseEvent(status=status, created_at=timezone.now())
    link = settings.GUICHET_SITE_URL.rstrip("/") + reverse("cases:track_link", args=["exemple"])
    subject, body_text, body_html = notifications.render_email(case, event, cause=cause, link=link)
    return {"subject": subject, "text": body_text, "html": body_html}


# --- Routing rules (ADR 0023) ---------------------------------------------------------------


def routable_fields(procedure: Procedure):
    """The fields of the published version a rule may test: choice, yes/no and multiple
    choice, each with the answers it can hold."""
    version = procedure.current_version
    if version is None:
        return []
    return [
        (spec, formdef.possible_answers(spec))
        for spec in version.fields
        if spec.type in formdef.CONDITION_TYPES
    ]


def routing_rules_of(procedure: Procedure) -> list[RoutingRule]:
    """The démarche's rules in order, each with ``field_label`` and ``active`` (False when
    the published version no longer has its field or its answer: ignored at submission)."""
    rules = list(procedure.routing_rules.select_related("service"))
    for rule in rules:
        spec = rule.field_in(procedure.current_version)
        rule.active = spec is not None
        rule.field_label = spec.label if spec is not None else rule.field_name
    return rules


def routing_rule_of(*, procedure: Procedure, rule_id) -> RoutingRule:
    """One rule of this démarche; another démarche's rule is a 404."""
    rule = procedure.routing_rules.select_related("service").filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule

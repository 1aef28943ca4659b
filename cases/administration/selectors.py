"""Who administers which démarche. Every page of the administration goes through
``procedure_administered``: a démarche the user does not administer is a 404; a
superuser administers every démarche."""

from django.db.models import Count
from django.http import Http404

from cases.models import (
    Case,
    Procedure,
    ProcedureChange,
    ProcedureVersion,
    RoutingRule,
    Service,
    routable_values,
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
    """The services a new (imported) démarche may belong to: those of the démarches the
    user administers; every service for a superuser."""
    if user.is_superuser:
        return Service.objects.order_by("name")
    return Service.objects.filter(procedures__administrators=user).distinct().order_by("name")


# --- Routing rules (ADR 0023) ---------------------------------------------------------------


def routable_fields(procedure: Procedure):
    """The fields of the published version a rule may test: choice, yes/no and multiple
    choice, each with the answers it can hold."""
    version = procedure.current_version
    if version is None:
        return []
    return [
        (spec, routable_values(spec))
        for spec in version.fields
        if spec.type in RoutingRule.ROUTABLE_TYPES
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

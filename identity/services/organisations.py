"""Organisation spaces: creation, claim by member number, import, members and their roles,
and the space's activity log (ADR 0308).

Rule kept here, whoever calls: an organisation always keeps at least one manager once it
has one — the last manager can neither leave, nor be removed, nor be demoted.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import Membership, Space, SpaceEvent, TermsVersion, User
from identity.selectors import terms_current
from identity.validators import normalise_rna, normalise_siret, validate_siret

from .accounts import terms_accept
from .cards import cards_of_space_release
from .imports import ImportReport, csv_rows
from .space_log import space_event_record


class LastManagerError(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "L'espace doit garder au moins un gestionnaire : nommez d'abord un autre "
                "gestionnaire."
            ),
            code="last_manager",
        )


@transaction.atomic
def organisation_create(
    *, user: User, name: str, organisation_kind: str, siret: str = "", rna: str = ""
) -> Space:
    """ "Add an association": a new organisation space whose creator is its manager."""
    space = Space.objects.create(
        kind=Space.Kind.ORGANISATION,
        name=name.strip(),
        organisation_kind=organisation_kind,
        siret=normalise_siret(siret),
        rna=normalise_rna(rna),
    )
    Membership.objects.create(user=user, space=space, role=Membership.Role.MANAGER)
    space_event_record(space=space, kind=SpaceEvent.Kind.CREATED, actor=user)
    return space


def organisation_claim(*, user: User, space: Space) -> Membership | None:
    """Make ``user`` the manager of a pre-registered organisation, with the charter
    accepted now. None when it has a manager already (checked under a row lock, so of two
    people claiming at once only one becomes manager)."""
    with transaction.atomic():
        space = Space.objects.select_for_update().get(pk=space.pk)
        if space.memberships.filter(role=Membership.Role.MANAGER).exists():
            return None
        membership, _created = Membership.objects.update_or_create(
            user=user,
            space=space,
            defaults={"role": Membership.Role.MANAGER, "charter_accepted_at": timezone.now()},
        )
        # The organisations' charter, when one is published, is accepted with the claim
        # (ADR 0310): the next login does not ask for it again.
        charter = terms_current(kind=TermsVersion.Kind.CHARTER, space_kind=space.kind)
        if charter is not None:
            terms_accept(user=user, terms=charter)
        space_event_record(
            space=space, kind=SpaceEvent.Kind.CLAIMED, actor=user, detail=space.member_number
        )
    return membership


def organisations_import(*, data: bytes | str) -> ImportReport:
    """Pre-registered organisations from a CSV: name, member number (6 digits), SIRET
    (may be empty). A member number already known is left alone."""
    report = ImportReport()
    for line, cells in csv_rows(data):
        if len(cells) < 2:
            report.errors.append(
                _("Ligne %(line)d : il faut au moins un nom et un numéro.") % {"line": line}
            )
            continue
        name, number = cells[0], cells[1]
        siret = normalise_siret(cells[2] if len(cells) > 2 else "")
        if line == 1 and not number.isdigit():
            continue  # header
        problems = []
        if not name:
            problems.append(_("le nom manque"))
        if not (number.isdigit() and len(number) == 6):
            problems.append(_("le numéro d'adhérent doit compter 6 chiffres"))
        if siret:
            try:
                validate_siret(siret)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            report.errors.append(
                _("Ligne %(line)d : %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        try:
            with transaction.atomic():
                _space, created = Space.objects.get_or_create(
                    member_number=number,
                    defaults={"kind": Space.Kind.ORGANISATION, "name": name, "siret": siret},
                )
        except IntegrityError:
            created = False
        if created:
            report.created += 1
        else:
            report.skipped += 1
    return report


def _managers_left(space: Space, *, without: Membership) -> bool:
    """Whether another manager remains (their rows locked: two managers demoting each other
    at once cannot both succeed)."""
    others = (
        Membership.objects.select_for_update()
        .filter(space=space, role=Membership.Role.MANAGER)
        .exclude(pk=without.pk)
    )
    return bool(list(others))


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    if role not in Membership.ORGANISATION_ROLES or membership.space.is_personal:
        raise ValidationError(_("Ce rôle n'existe pas."), code="role")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.MANAGER and not _managers_left(
        membership.space, without=membership
    ):
        raise LastManagerError
    previous = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role"])
    space_event_record(
        space=membership.space,
        kind=SpaceEvent.Kind.ROLE_CHANGED,
        actor=by,
        subject=membership.user,
        detail=f"{previous} → {membership.get_role_display()}",
    )
    return membership


def _membership_end(*, membership: Membership, by: User, kind: str) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.space.is_personal:
            raise ValidationError(_("On ne quitte pas son espace personnel."), code="personal")
        if membership.role == Membership.Role.MANAGER and not _managers_left(
            membership.space, without=membership
        ):
            raise LastManagerError
        space, user = membership.space, membership.user
        membership.delete()
        cards_of_space_release(space=space, user=user, by=by)
        space_event_record(space=space, kind=kind, actor=by, subject=user)


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member: the row goes, so their next request no longer reaches the space;
    the cards this space linked to them are unlinked and back in stock."""
    _membership_end(membership=membership, by=by, kind=SpaceEvent.Kind.REMOVED)


def membership_leave(*, membership: Membership) -> None:
    _membership_end(membership=membership, by=membership.user, kind=SpaceEvent.Kind.LEFT)

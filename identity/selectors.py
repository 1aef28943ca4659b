"""Reads scoped to a user, the space a request acts in, and the public ones (terms
versions) with the checks they need."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .federation.config import federation
from .models import (
    FederatedIdentity,
    LoginCode,
    Membership,
    PreregisteredPerson,
    Space,
    SpaceEvent,
    TermsAcceptance,
    TermsVersion,
    TotpDevice,
    User,
)
from .preregistered import fact_normalise

CURRENT_SPACE_SESSION_KEY = "guichet_space"


def space_personal_for(*, user: User) -> Space:
    return Space.objects.get(kind=Space.Kind.PERSONAL, memberships__user=user)


def spaces_for(*, user: User):
    return Space.objects.filter(memberships__user=user).order_by("kind", "name")


def terms_published(*, kind: str = TermsVersion.Kind.CGU, space_kind: str = ""):
    """Every published version of one text, the current one first (its history)."""
    return TermsVersion.objects.filter(
        kind=kind, space_kind=space_kind, published_at__lte=timezone.now()
    ).order_by("-published_at", "-pk")


def terms_current(*, kind: str = TermsVersion.Kind.CGU, space_kind: str = ""):
    """The current version of a text (the latest published), or None if none was ever
    published."""
    return terms_published(kind=kind, space_kind=space_kind).first()


def terms_to_accept(*, user: User) -> list[TermsVersion]:
    """The current versions this person must accept before going on: the CGU, and the
    charter of each kind of space they belong to, when they have not accepted them yet."""
    space_kinds = set(
        Membership.objects.filter(user=user).values_list("space__kind", flat=True).distinct()
    )
    current = [terms_current()]
    current += [
        terms_current(kind=TermsVersion.Kind.CHARTER, space_kind=space_kind)
        for space_kind in sorted(space_kinds)
    ]
    current = [version for version in current if version is not None]
    accepted = set(
        TermsAcceptance.objects.filter(user=user, terms__in=current).values_list(
            "terms_id", flat=True
        )
    )
    return [version for version in current if version.pk not in accepted]


def memberships_for(*, user: User) -> list[Membership]:
    """The user's memberships, personal space first, then organisations by name."""
    rows = Membership.objects.filter(user=user).select_related("space")
    return sorted(rows, key=lambda m: (not m.space.is_personal, m.space.name.lower(), m.pk))


def current_membership(request) -> Membership:
    """The membership of the space this request acts in (ADR 0308).

    The session names a space (``space_activate``); the user's memberships are read again
    on every request, once, so a member removed since the last request falls back to their
    personal space, told so, and the organisation's objects are out of reach. Filing, "Mes
    démarches", the activity feed, the porte-documents and notification preferences all
    act in this space; views call this, never ``space_personal_for``.
    """
    cached = getattr(request, "_guichet_membership", None)
    if cached is not None:
        return cached
    memberships = memberships_for(user=request.user)
    wanted = request.session.get(CURRENT_SPACE_SESSION_KEY)
    usable = memberships
    if not organisation_spaces_allowed(request):
        usable = [m for m in memberships if m.space.is_personal]
    chosen = next((m for m in usable if m.space_id == wanted), None)
    if chosen is None:
        chosen = next(m for m in memberships if m.space.is_personal)
        if wanted is not None:
            del request.session[CURRENT_SPACE_SESSION_KEY]
            messages.warning(
                request,
                _(
                    "Vous n'avez plus accès à l'espace que vous utilisiez. "
                    "Vous êtes revenu dans votre espace personnel."
                ),
            )
    request._guichet_membership = chosen
    request._guichet_memberships = memberships
    return chosen


def current_space(request) -> Space:
    """The space this request acts in (see ``current_membership``)."""
    return current_membership(request).space


def switchable_memberships(request) -> list[Membership]:
    """Every space the user may switch to (read in the same query as the current one)."""
    current_membership(request)
    return request._guichet_memberships


def space_activate(request, space: Space) -> None:
    """Remember in the session the space the next requests act in (no new login)."""
    request.session[CURRENT_SPACE_SESSION_KEY] = space.pk
    request.__dict__.pop("_guichet_membership", None)
    request.__dict__.pop("_guichet_memberships", None)


def managed_membership(request) -> Membership:
    """The current membership when it manages an organisation space; 404 otherwise (a
    member, a personal space, or a manager who was just removed)."""
    membership = current_membership(request)
    if membership.space.is_personal or not membership.manages:
        raise Http404
    return membership


def manages_an_organisation(user: User) -> bool:
    """Who may enter the space-management staff area (ADR 0007): a manager or co-manager
    of at least one organisation. The page itself then checks the current space."""
    return Membership.objects.filter(
        user=user, role__in=Membership.MANAGING_ROLES, space__kind=Space.Kind.ORGANISATION
    ).exists()


def organisation_claimable(*, member_number: str) -> Space | None:
    """The pre-registered organisation with that member number, or None."""
    if not (member_number.isdigit() and len(member_number) == 6):
        return None
    return Space.objects.filter(kind=Space.Kind.ORGANISATION, member_number=member_number).first()


def space_managers(*, space: Space):
    return User.objects.filter(
        memberships__space=space, memberships__role=Membership.Role.MANAGER
    ).order_by("last_name", "first_name", "email")


def space_members(*, space: Space):
    return (
        Membership.objects.filter(space=space)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def space_member_get(*, space: Space, membership_id) -> Membership:
    membership = (
        Membership.objects.filter(space=space, pk=membership_id).select_related("user").first()
    )
    if membership is None:
        raise Http404
    return membership


def space_invitations_pending(*, space: Space):
    return space.invitations.filter(
        accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def space_events_for(*, space: Space):
    return SpaceEvent.objects.filter(space=space)


def space_cards_for(*, space: Space, user: User):
    """The confirmed cards this space's managers linked to ``user``."""
    return user.totp_devices.filter(
        space=space, kind=TotpDevice.Kind.CARD, confirmed_at__isnull=False
    )


def security_events_for(*, user: User, limit: int = 50):
    return user.security_events.all()[:limit]


def totp_devices_for(*, user: User):
    return user.totp_devices.filter(confirmed_at__isnull=False).order_by("created_at")


def recovery_codes_left(*, user: User) -> int:
    return user.recovery_codes.filter(used_at=None).count()


SECOND_FACTOR_SESSION_KEY = "guichet_second_factor"
# The federation that logged this session in, and its ID token (for its logout).
FEDERATED_LOGIN_SESSION_KEY = "guichet_federated_login"
# How a second factor was passed: our own factors, or a federation that vouches for one.
OWN_APP = "totp"  # an authenticator app or OTP card, or one of its recovery codes
OWN_CODE = "code"  # a code sent by SMS or email
FRANCECONNECT = "franceconnect"  # eIDAS low: the personal space only (ADR 0312)
FEDERATION_MFA = "federation_mfa"  # ProConnect whose acr or amr proves a second factor
STAFF_GRADE = {OWN_APP, FEDERATION_MFA}


def second_factor_remember(request, *, method: str, federation: dict | None = None) -> None:
    """Record in the session how the second factor was passed, and which federation (with
    its ID token) logged it in, if one did."""
    request.session[SECOND_FACTOR_SESSION_KEY] = method
    if federation is None:
        request.session.pop(FEDERATED_LOGIN_SESSION_KEY, None)
    else:
        request.session[FEDERATED_LOGIN_SESSION_KEY] = federation


def signed_in_with_app(request) -> bool:
    """Staff screens need a login with an authenticator app or OTP card (PRODUCT §2.3),
    or through ProConnect with a proven second factor."""
    return request.session.get(SECOND_FACTOR_SESSION_KEY) in STAFF_GRADE


def organisation_spaces_allowed(request) -> bool:
    """FranceConnect alone opens the personal space only (PRODUCT §2.2)."""
    return request.session.get(SECOND_FACTOR_SESSION_KEY) != FRANCECONNECT


def login_code_sent(*, user, attempt: str) -> bool:
    """Whether a code was sent for this login attempt (none when sends were refused)."""
    return LoginCode.objects.filter(user=user, attempt=attempt).exists()


# Compared with when no one has the reference typed, so that a wrong reference costs the
# same work as a wrong fact (ADR 0311).
_NOBODY = PreregisteredPerson(birth_date=date(1, 1, 1), sex="", extra_fact="")


def preregistered_by_facts(
    *, reference: str, birth_date: date, sex: str, extra_fact: str
) -> PreregisteredPerson | None:
    """The person with this reference if every fact matches, else None — one answer
    whichever fact is wrong. Activated people are returned too: the caller says so."""
    person = PreregisteredPerson.objects.filter(reference=reference).first()
    candidate = person or _NOBODY
    matches = [
        candidate.birth_date == birth_date,
        candidate.sex == sex,
        constant_time_compare(fact_normalise(candidate.extra_fact), fact_normalise(extra_fact)),
    ]
    return person if person is not None and all(matches) else None


def federations_for(*, user: User) -> list[dict]:
    """The federations "Connexion et sécurité" offers to link or unlink: FranceConnect to
    everyone, ProConnect to agents (staff, or members of a group), with the user's link."""
    linked = {i.provider: i for i in FederatedIdentity.objects.filter(user=user)}
    items = []
    for provider in FederatedIdentity.Provider.values:
        configured = federation(provider)
        if configured is None:
            continue
        if (
            provider == FederatedIdentity.Provider.PROCONNECT
            and provider not in linked
            and not (user.is_staff or user.groups.exists())
        ):
            continue
        items.append({"federation": configured, "identity": linked.get(provider)})
    return items

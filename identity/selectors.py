"""Reads scoped to a user, and the public ones (terms versions) with the checks they need."""

from datetime import date

from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import (
    LoginCode,
    Membership,
    PreregisteredPerson,
    Space,
    TermsAcceptance,
    TermsVersion,
    User,
)
from .preregistered import fact_normalise


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


def security_events_for(*, user: User, limit: int = 50):
    return user.security_events.all()[:limit]


def totp_devices_for(*, user: User):
    return user.totp_devices.filter(confirmed_at__isnull=False).order_by("created_at")


def recovery_codes_left(*, user: User) -> int:
    return user.recovery_codes.filter(used_at=None).count()


SECOND_FACTOR_SESSION_KEY = "guichet_second_factor"


def second_factor_remember(request, *, method: str) -> None:
    """Record in the new session how the second factor was passed ("totp": an
    authenticator app or OTP card, or one of its recovery codes; "code": SMS or email)."""
    request.session[SECOND_FACTOR_SESSION_KEY] = method


def signed_in_with_app(request) -> bool:
    """Staff screens need a login with an authenticator app or OTP card (PRODUCT §2.3)."""
    return request.session.get(SECOND_FACTOR_SESSION_KEY) == "totp"


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

"""Reads scoped to a user."""

from django.utils import timezone

from .models import LoginCode, Space, TermsVersion, User


def space_personal_for(*, user: User) -> Space:
    return Space.objects.get(kind=Space.Kind.PERSONAL, memberships__user=user)


def spaces_for(*, user: User):
    return Space.objects.filter(memberships__user=user).order_by("kind", "name")


def terms_current():
    """The latest published terms version, or None when none was ever published."""
    return TermsVersion.objects.filter(published_at__lte=timezone.now()).first()


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

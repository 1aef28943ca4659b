"""Account lifecycle around allauth: signup extras, pending registrations, phone, profile,
deletion (with the keyed hash of the email kept for a year)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.crypto import keyed_hash
from identity.models import (
    DeletedAccount,
    Membership,
    Notification,
    Profile,
    SecurityEvent,
    Space,
    TermsAcceptance,
    TermsVersion,
    User,
)
from identity.selectors import terms_to_accept

from .notifications import notification_enqueue
from .security_log import security_event_record

# Sent before an account is deleted, so higher layers (the locker, cases) can purge or
# detach what belongs to the user. identity never imports them.
account_deleting = Signal()

PHONE_LINK_SALT = "guichet.identity.phone-verify"
PHONE_LINK_MAX_AGE = 24 * 3600


def terms_accept(*, user: User, terms: TermsVersion) -> TermsAcceptance:
    """Record that ``user`` accepted this version now (once: a second call keeps the
    first date)."""
    acceptance, _created = TermsAcceptance.objects.get_or_create(user=user, terms=terms)
    return acceptance


def terms_accept_current(*, user: User) -> None:
    """Accept every current version the person has still to accept (demo accounts: as a
    sign-up would have left them)."""
    for terms in terms_to_accept(user=user):
        terms_accept(user=user, terms=terms)


def user_signup_complete(
    *, user: User, terms: TermsVersion | None, newsletter: bool, alerts: bool
) -> None:
    """What our signup form adds to allauth's: opt-ins and the accepted terms version.

    ``terms`` is the version shown in the form; a database without any (the data
    migration's "1.0" was removed) gets that first version rather than losing the record.
    """
    if terms is None:
        terms, _created = TermsVersion.objects.get_or_create(version="1.0")
    user.newsletter_opt_in = newsletter
    user.alerts_opt_in = alerts
    user.save(update_fields=["newsletter_opt_in", "alerts_opt_in"])
    terms_accept(user=user, terms=terms)


def pending_registrations_purge(*, now=None) -> int:
    """Delete accounts never activated within the resend window (30 days by default)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.GUICHET_SIGNUP_RESEND_DAYS)
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    stale = User.objects.filter(
        date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False
    ).exclude(Exists(verified))
    count = 0
    for user in stale:
        _delete_user_and_personal_space(user)
        count += 1
    return count


def email_hash(email: str) -> str:
    return keyed_hash(email.strip().lower(), purpose="deleted-email")


def _delete_user_and_personal_space(user: User) -> None:
    personal = list(
        Space.objects.filter(
            kind=Space.Kind.PERSONAL,
            memberships__user=user,
            memberships__role=Membership.Role.OWNER,
        )
    )
    user.delete()
    for space in personal:
        space.delete()


def account_delete(*, user: User) -> None:
    """Delete the account and its personal data; keep the email as a keyed hash a year.

    An email confirms the deletion (written in the same transaction: it leaves only if the
    deletion happened). It names no personal data beyond the address it is sent to.
    """
    now = timezone.now()
    with transaction.atomic():
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=user.email,
            subject=_("Votre compte est supprimé"),
            body_text=render_to_string(
                "identity/email/account_deleted.txt",
                {
                    "operator": settings.GUICHET_OPERATOR_NAME,
                    "days": settings.GUICHET_DELETED_EMAIL_DAYS,
                    "site_url": settings.GUICHET_SITE_URL,
                },
            ),
        )
        account_deleting.send(sender=User, user=user)
        DeletedAccount.objects.create(
            email_hash=email_hash(user.email),
            deleted_at=now,
            expires_at=now + timedelta(days=settings.GUICHET_DELETED_EMAIL_DAYS),
        )
        _delete_user_and_personal_space(user)


def deleted_email_blocked_until(email: str):
    """When a recently deleted account's email may sign up again; None if it may now."""
    return (
        DeletedAccount.objects.filter(email_hash=email_hash(email), expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )


def deleted_accounts_purge() -> int:
    deleted, _rows = DeletedAccount.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def phone_change_start(*, user: User, phone: str, request) -> None:
    """Record the new number (unverified) and send a verification link to it by SMS."""
    user.phone = phone
    user.phone_verified_at = None
    user.no_mobile = False
    user.save(update_fields=["phone", "phone_verified_at", "no_mobile"])
    token = signing.dumps({"u": user.pk, "p": phone}, salt=PHONE_LINK_SALT)
    link = request.build_absolute_uri(reverse("identity:phone_verify", args=[token]))
    notification_enqueue(
        channel=Notification.Channel.SMS,
        recipient=phone,
        body_text=render_to_string("identity/sms/phone_verify.txt", {"link": link}).strip(),
        urgent=True,
    )
    security_event_record(
        user=user, kind=SecurityEvent.Kind.PHONE_CHANGED, request=request, detail=phone[-4:]
    )


def phone_opt_out(*, user: User) -> None:
    user.phone = ""
    user.phone_verified_at = None
    user.no_mobile = True
    user.save(update_fields=["phone", "phone_verified_at", "no_mobile"])


def phone_verify(*, token: str) -> User | None:
    """Mark the number verified if the link is genuine, fresh and still for that number."""
    try:
        data = signing.loads(token, salt=PHONE_LINK_SALT, max_age=PHONE_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), phone=data.get("p")).first()
    if user is None:
        return None
    if user.phone_verified_at is None:
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone_verified_at"])
    return user


def password_reset_sms_send(*, user: User, request) -> None:
    """Send a password reset link by SMS to the user's verified mobile."""
    from allauth.account import app_settings as allauth_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.utils import user_pk_to_url_str

    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    url = get_adapter(request).get_reset_password_from_key_url(
        f"{user_pk_to_url_str(user)}-{token}"
    )
    notification_enqueue(
        channel=Notification.Channel.SMS,
        recipient=user.verified_phone,
        body_text=render_to_string("identity/sms/password_reset.txt", {"link": url}).strip(),
        urgent=True,
    )


def profile_update(*, user: User, data: dict) -> Profile:
    """Save personal information; identity fields from FranceConnect are never overwritten."""
    profile, _created = Profile.objects.get_or_create(user=user)
    for field, value in data.items():
        if profile.identity_locked and field in Profile.IDENTITY_FIELDS:
            continue
        setattr(profile, field, value)
    profile.save()
    return profile

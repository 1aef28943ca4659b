"""Invitations to an organisation space and an invited member's first connection (ADR 0308).

The manager gives an email and a mobile number. The email carries a signed link valid
``INVITATION_DAYS``. Someone who already has an account logs in as usual and accepts.
Someone new proves both: the link (their mailbox), then a 6-digit code sent by SMS to the
number the manager typed — the login-code machinery of the second factor, bound to an
attempt of this session — and then chooses a password. Their email and mobile are then
verified, and they are logged in.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import LoginCode, Membership, Notification, Space, SpaceEvent, User
from identity.models import SpaceInvitation as Invitation
from identity.selectors import terms_current

from .accounts import user_signup_complete
from .notifications import notification_enqueue
from .second_factor import login_code_issue, login_code_verify
from .space_log import person_name, space_event_record

INVITATION_DAYS = 7
_SALT = "guichet.identity.space-invitation"


def invitation_link(invitation: Invitation) -> str:
    token = signing.dumps(invitation.pk, salt=_SALT)
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("identity:invitation", args=[token])


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, while it is genuine, younger than 7 days and unused."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.select_related("space", "invited_by").filter(pk=pk).first()
    return invitation if invitation is not None and invitation.usable else None


@transaction.atomic
def membership_invite(*, space: Space, by: User, email: str, phone: str, role: str) -> Invitation:
    """Write the invitation and its email (outbox). An older pending invitation of the same
    address to this space stops working."""
    now = timezone.now()
    email = email.strip()
    Invitation.objects.filter(
        space=space, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        space=space,
        email=email,
        phone=phone,
        role=role,
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    context = {
        "space": space.name,
        "manager": person_name(by),
        "link": invitation_link(invitation),
        "days": INVITATION_DAYS,
        "phone_end": phone[-2:],
        "operator": settings.GUICHET_OPERATOR_NAME,
    }
    notification_enqueue(
        channel=Notification.Channel.EMAIL,
        recipient=email,
        subject=_("Invitation à rejoindre l'espace « %(space)s »") % {"space": space.name},
        body_text=render_to_string("identity/email/invitation.txt", context),
    )
    space_event_record(
        space=space, kind=SpaceEvent.Kind.INVITED, actor=by, detail=f"{email} ({role})"
    )
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    if Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    ):
        space_event_record(
            space=invitation.space,
            kind=SpaceEvent.Kind.INVITATION_REVOKED,
            actor=by,
            detail=invitation.email,
        )


def _join(invitation: Invitation, user: User) -> Membership | None:
    """Use the invitation (once: a conditional update) and make ``user`` a member."""
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not used:
        return None
    membership, created = Membership.objects.get_or_create(
        user=user, space=invitation.space, defaults={"role": invitation.role}
    )
    if created:
        space_event_record(
            space=invitation.space,
            kind=SpaceEvent.Kind.JOINED,
            actor=user,
            subject=user,
            detail=membership.get_role_display(),
        )
    return membership


def invitation_accept(*, invitation: Invitation, user: User) -> Membership | None:
    """An existing account, logged in as the invited address, joins the space."""
    if user.email.lower() != invitation.email.lower():
        return None
    with transaction.atomic():
        return _join(invitation, user)


def _unfinished(user: User) -> bool:
    """An account made by a first connection that did not finish: no password, never
    logged in. Any other account is its owner's, who logs in as usual."""
    return not user.has_usable_password() and user.last_login is None


def invitation_account_exists(invitation: Invitation) -> bool:
    """Whether the invited address has an account to log in with."""
    user = User.objects.filter(email__iexact=invitation.email).first()
    return user is not None and not _unfinished(user)


def _pending_user(invitation: Invitation) -> User:
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(invitation.email, password=None)
    return user


def invitation_code_send(*, invitation: Invitation, attempt: str, request=None) -> bool:
    """Send the first-connection code by SMS to the mobile the manager typed. False when
    the address has an account already, or too many codes were sent."""
    if invitation_account_exists(invitation):
        return False
    with transaction.atomic():
        user = _pending_user(invitation)
        sent = login_code_issue(
            user=user, attempt=attempt, request=request, sms_to=invitation.phone
        )
    return sent is not None


def invitation_code_sent(*, invitation: Invitation, attempt: str) -> bool:
    return LoginCode.objects.filter(user__email__iexact=invitation.email, attempt=attempt).exists()


def invitation_first_connection(
    *, invitation: Invitation, attempt: str, code: str, password: str
) -> tuple[str, User | None]:
    """Check the SMS code; when right, the account gets its password, its email and
    mobile are verified, the current terms accepted, and it joins the space.

    Returns ("ok", user), or ("wrong" | "void", None) as ``login_code_verify`` says.
    """
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None or not _unfinished(user):
        return "void", None
    result = login_code_verify(user=user, attempt=attempt, code=code)
    if result != "ok":
        return result, None
    with transaction.atomic():
        if _join(invitation, user) is None:
            return "void", None
        user.set_password(password)
        user.phone = invitation.phone
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["password", "phone", "phone_verified_at"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        user_signup_complete(user=user, terms=terms_current(), newsletter=False, alerts=False)
    return "ok", user

"""Pre-registered people (PRODUCT §2.4, ADR 0311): import, then activation in three steps.

Step 1 (the facts) is checked by ``identity.selectors.preregistered_by_facts``. Step 2
records the address and the hashed password in a ``PreregisteredActivation`` and sends
the link; step 3 (the link, confirmed by a POST) creates the account. A reference
activates once: the account is created only while no account holds the reference.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.crypto import keyed_hash
from identity.models import (
    Notification,
    PreregisteredActivation,
    PreregisteredPerson,
    Profile,
    User,
)
from identity.preregistered import Row

from .accounts import deleted_email_blocked_until
from .notifications import notification_enqueue

TOKEN_PURPOSE = "preregistered-activation"  # noqa: S105 -- a hash purpose
IMPORT_BATCH = 500
FACT_FIELDS = ("birth_date", "sex", "extra_fact", "email")


@dataclass(frozen=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def preregistered_import(*, rows: list[Row]) -> ImportCounts:
    """Create or update one person per row, by reference (one transaction): importing
    the same file twice changes nothing the second time."""
    now = timezone.now()
    created = updated = unchanged = 0
    with transaction.atomic():
        for start in range(0, len(rows), IMPORT_BATCH):
            batch = rows[start : start + IMPORT_BATCH]
            existing = PreregisteredPerson.objects.in_bulk(
                [row.reference for row in batch], field_name="reference"
            )
            new, changed = [], []
            for row in batch:
                values = {name: getattr(row, name) for name in FACT_FIELDS}
                person = existing.get(row.reference)
                if person is None:
                    new.append(
                        PreregisteredPerson(reference=row.reference, imported_at=now, **values)
                    )
                elif any(getattr(person, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(person, name, value)
                    person.imported_at = now
                    changed.append(person)
                else:
                    unchanged += 1
            PreregisteredPerson.objects.bulk_create(new)
            PreregisteredPerson.objects.bulk_update(changed, [*FACT_FIELDS, "imported_at"])
            created += len(new)
            updated += len(changed)
    return ImportCounts(created, updated, unchanged)


def _token_hash(token: str) -> str:
    return keyed_hash(token, purpose=TOKEN_PURPOSE)


def _address_in_use(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
        or deleted_email_blocked_until(email) is not None
    )


def _email_context() -> dict:
    return {
        "operator_name": settings.GUICHET_OPERATOR_NAME,
        "days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
    }


def preregistered_activation_request(
    *, person: PreregisteredPerson, email: str, password: str, request
) -> None:
    """Step 2: send the activation link to ``email`` (any older link of this person no
    longer works). An address that already has an account (or had one deleted less than
    a year ago) gets an explanation instead of a link; the screen is the same."""
    email = User.objects.normalize_email(email.strip())
    context = _email_context()
    with transaction.atomic():
        PreregisteredActivation.objects.filter(person=person).delete()
        if _address_in_use(email):
            context["login_url"] = request.build_absolute_uri(reverse("account_login"))
            context["reset_url"] = request.build_absolute_uri(reverse("account_reset_password"))
            notification_enqueue(
                channel=Notification.Channel.EMAIL,
                recipient=email,
                subject=_("Activation de votre compte : adresse déjà utilisée"),
                body_text=render_to_string("identity/email/activation_address_in_use.txt", context),
            )
            return
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        PreregisteredActivation.objects.create(
            person=person,
            email=email,
            password_hash=make_password(password),
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS),
        )
        context["link"] = request.build_absolute_uri(
            reverse("identity:activation_confirm", args=[token])
        )
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=email,
            subject=_("Activez votre compte"),
            body_text=render_to_string("identity/email/activation_link.txt", context),
        )


def preregistered_activation_pending(*, token: str) -> PreregisteredActivation | None:
    """The activation request of this link, if it is the latest and still valid."""
    return (
        PreregisteredActivation.objects.select_related("person")
        .filter(token_hash=_token_hash(token), expires_at__gt=timezone.now())
        .first()
    )


class ActivationRefusedError(Exception):
    """Step 3 cannot create the account; ``reason`` says why ("invalid", "activated",
    "address_in_use")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def preregistered_activation_complete(*, token: str) -> User:
    """Step 3: create the account (address verified: the link proved it) and bind the
    reference to it. The person row is locked, so two links opened at once cannot both
    activate the reference."""
    with transaction.atomic():
        pending = preregistered_activation_pending(token=token)
        if pending is None:
            raise ActivationRefusedError("invalid")
        person = PreregisteredPerson.objects.select_for_update().get(pk=pending.person_id)
        if person.is_activated:
            raise ActivationRefusedError("activated")
        if _address_in_use(pending.email):
            raise ActivationRefusedError("address_in_use")
        user = User.objects.create_user(pending.email)
        user.password = pending.password_hash
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Profile.objects.update_or_create(user=user, defaults={"birth_date": person.birth_date})
        person.user = user
        person.activated_at = timezone.now()
        person.save(update_fields=["user", "activated_at"])
        PreregisteredActivation.objects.filter(person=person).delete()
    return user


def preregistered_activations_purge() -> int:
    """Forget activation requests whose link expired (their hashed password with them)."""
    deleted, _rows = PreregisteredActivation.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted

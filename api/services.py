"""Writes of the API: tokens (create, revoke, last use). ADR 0500."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Procedure
from identity.models import User

from . import selectors
from .models import ApiToken, token_hash, token_new_secret

# The last use is written at most this often per token: one UPDATE per request would make
# every API call a write.
LAST_USE_PRECISION = timedelta(minutes=1)
MAX_LIFETIME = timedelta(days=366)


def token_create(
    *, user: User, name: str, procedures: list[Procedure], can_instruct: bool, expires_at
) -> tuple[ApiToken, str]:
    """A new token of ``user`` for ``procedures``; returns it with its secret, which is
    never stored nor shown again. An instruct token acts as ``user``: they must instruct
    every démarche's service (the instruction services check it again at each call)."""
    if not procedures:
        raise ValidationError({"procedures": _("Choisissez au moins une démarche.")})
    for procedure in procedures:
        if not selectors.administers(user, procedure):
            raise PermissionDenied
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("La date d'expiration doit être dans le futur.")})
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": _("Un jeton peut être valable un an au plus.")})
    if can_instruct and not all(selectors.instructs(user, p) for p in procedures):
        raise ValidationError(
            {
                "can_instruct": _(
                    "Pour instruire par l'API, vous devez être instructeur du service de "
                    "chaque démarche choisie."
                )
            }
        )
    secret = token_new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            hint=secret[:10],
            key_hash=token_hash(secret),
            can_instruct=can_instruct,
            created_by=user,
            expires_at=expires_at,
        )
        token.procedures.set(procedures)
    return token, secret


def token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke a token: any administrator of one of its démarches may."""
    if not any(selectors.administers(user, p) for p in token.procedures.all()):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

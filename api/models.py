"""API tokens (docs/adr/0500-public-api.md).

A token is ``gch_`` followed by 43 URL-safe characters (32 random bytes). Only the SHA-256
of the whole string is stored: the secret is shown once, at creation. A token acts as the
démarche administrator who created it (``created_by``) on the démarches it lists.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "gch_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Lecture")
        INSTRUCT = "instruct", _("Instruction")

    name = models.CharField(_("nom"), max_length=100)
    # The first characters of the secret, shown in lists so that a token can be recognised.
    hint = models.CharField(_("début du jeton"), max_length=12)
    key_hash = models.CharField(_("empreinte"), max_length=64, unique=True)
    procedures = models.ManyToManyField(
        "cases.Procedure", related_name="api_tokens", verbose_name=_("démarches")
    )
    can_instruct = models.BooleanField(_("instruction"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="created_api_tokens",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def scopes(self) -> list[str]:
        return [self.Scope.READ, self.Scope.INSTRUCT] if self.can_instruct else [self.Scope.READ]

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

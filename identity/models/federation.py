"""Identities of an account at an identity federation: FranceConnect (applicants) and
ProConnect (agents). The identity is the pair (issuer, subject), never an email (ADR 0312)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import User


class FederatedIdentity(models.Model):
    class Provider(models.TextChoices):
        FRANCECONNECT = "franceconnect", _("FranceConnect")
        PROCONNECT = "proconnect", _("ProConnect")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="federated_identities")
    provider = models.CharField(_("fédération"), max_length=20, choices=Provider.choices)
    issuer = models.CharField(_("émetteur"), max_length=255)
    subject = models.CharField(_("identifiant chez l'émetteur"), max_length=255)
    linked_at = models.DateTimeField(_("liée le"), default=timezone.now)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité fédérée")
        verbose_name_plural = _("identités fédérées")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_federated_sub"),
            models.UniqueConstraint(fields=["user", "provider"], name="identity_federated_user"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()} — {self.user}"

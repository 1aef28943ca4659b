"""Webhook endpoints, the outbox of their deliveries, and every attempt (ADR 0501).

A ``Delivery`` is one logical event for one endpoint: written in the business transaction,
sent by the worker until the endpoint answers 2xx, with the same ``webhook-id`` (its id) at
every attempt so that receivers can de-duplicate. Each HTTP try is an ``Attempt``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.crypto import decrypt_secret, encrypt_secret


class EventType(models.TextChoices):
    SUBMITTED = "demande.submitted", _("Demande déposée")
    REPLIED = "demande.replied", _("Réponse du demandeur")
    STATE_CHANGED = "demande.state_changed", _("Changement d'état d'une demande")
    AVIS_ANSWERED = "avis.answered", _("Avis d'expert rendu")
    TEST = "webhook.test", _("Événement de test")


# What an administrator may subscribe to (the test event is sent on demand only).
SUBSCRIBABLE = [c for c in EventType.choices if c[0] != EventType.TEST]


class Endpoint(models.Model):
    """An HTTPS address of a démarche's own system, and the secret its deliveries are
    signed with (Standard Webhooks ``whsec_`` + base64, shown once at creation)."""

    procedure = models.ForeignKey(
        "cases.Procedure",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("démarche"),
    )
    url = models.URLField(_("adresse"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("événements"), default=list)
    # Encrypted at rest (identity.crypto, the key of the TOTP secrets): signing needs the
    # secret itself, and a database dump alone must not let anyone forge our deliveries.
    secret_encrypted = models.TextField(_("secret de signature (chiffré)"), editable=False)
    enabled = models.BooleanField(_("actif"), default=True)
    disabled_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)
    disabled_reason = models.CharField(_("motif de désactivation"), max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("point de réception de webhooks")
        verbose_name_plural = _("points de réception de webhooks")
        ordering = ["procedure", "created_at"]

    def __str__(self):
        return self.url

    @property
    def secret(self) -> str:
        return decrypt_secret(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = encrypt_secret(value)


class Delivery(models.Model):
    """One event for one endpoint: the outbox row (ADR 0501)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        DELIVERED = "delivered", _("Livré")
        FAILED = "failed", _("Échec définitif")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("adresse")
    )
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    # The exact JSON sent at every attempt: the signature covers these bytes.
    body = models.TextField(_("contenu"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    delivered_at = models.DateTimeField(_("livré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhooks_delivery_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.id}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id`` header: the same at every attempt."""
        return f"msg_{self.id.hex}"


class Attempt(models.Model):
    """One HTTP try of a delivery: when, the answer's status code or the error, how long."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("le"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("code de réponse"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)

    class Meta:
        verbose_name = _("tentative")
        verbose_name_plural = _("tentatives")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

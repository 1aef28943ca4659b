"""An expert opinion (avis) asked on a demande, its answer files and its history.

None of these rows is read by ``cases``: the applicant's side only sees the timeline entry
(``CaseEvent.Kind.EXPERT_OPINION``) written when a *non-confidential* avis is asked.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Avis(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ANSWERED = "answered", _("Rendu")
        REVOKED = "revoked", _("Retiré")
        CLOSED = "closed", _("Clôturé")

    class Choice(models.TextChoices):
        YES = "yes", _("Oui")
        NO = "no", _("Non")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField(_("adresse de l'expert"))
    # Set when the invitation link is used (once): from then on only this account reads it.
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_opinions",
    )
    link_used_at = models.DateTimeField(null=True, blank=True)
    question = models.TextField(_("question"), max_length=5_000)
    yes_no = models.BooleanField(_("réponse par oui ou non"), default=False)
    confidential = models.BooleanField(_("confidentiel"), default=False)
    shared_files = models.ManyToManyField("cases.CaseFile", blank=True, related_name="+")
    due_on = models.DateField(_("à rendre avant le"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("avis"), max_length=10_000, blank=True)
    answer_choice = models.CharField(max_length=3, choices=Choice.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # revoked or closed
    # The one automatic reminder at the deadline (the beat job sets it once).
    deadline_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("avis d'expert")
        verbose_name_plural = _("avis d'experts")
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="pending", deadline_reminded_at__isnull=True),
                name="workflows_avis_due_idx",
            )
        ]

    def __str__(self):
        return f"avis {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_open_to_expert(self) -> bool:
        """Revoked or closed: the expert reads nothing of it any more."""
        return self.status in (self.Status.PENDING, self.Status.ANSWERED)


class AvisFile(models.Model):
    """A file the expert joined to their answer, inspected by the upload intake and stored
    by the vault with the demande's data key (never a ``CaseFile``: the applicant's pages,
    archive and emails list those)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    avis = models.ForeignKey(Avis, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("nom"), max_length=255)
    storage_key = models.CharField(max_length=255, unique=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    mime = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class AvisEvent(models.Model):
    """Append-only history of an avis, shown in the instructors' timeline only."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("Avis demandé")
        LINK_USED = "link_used", _("Invitation d'expert acceptée")
        REMINDED = "reminded", _("Expert relancé")
        ANSWERED = "answered", _("Avis rendu")
        REVOKED = "revoked", _("Demande d'avis retirée")
        CLOSED = "closed", _("Demande d'avis clôturée")

    avis = models.ForeignKey(Avis, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.kind} ({self.avis_id})"

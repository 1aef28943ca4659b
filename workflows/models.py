"""Viewflow process for the instruction of one demande, and export jobs.

The process records only who must act next; the business state is ``Case.status``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CaseProcess(Process):
    """One instruction round of a demande. A reopened demande gets a new round."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="instruction_processes"
    )

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")


class Export(models.Model):
    """A CSV or XLSX export of a filtered list, built by a Celery task."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        PENDING = "pending", _("En préparation")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    storage_key = models.CharField(max_length=255, blank=True)
    # The file is encrypted with it (locker.vault); deleted with the export after 32 hours.
    data_key = models.ForeignKey(
        "locker.DataKey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # False only for files an older version stored in clear, until `migrate` encrypts them.
    encrypted = models.BooleanField(default=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"export {self.pk}"


class InstructorPreferences(models.Model):
    """Which events mail an instructor and how, and their absence (ADR 0407).

    One row per user, created with the defaults the first time it is read
    (``selectors.preferences_of``). Emails are per person, never per service.
    """

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Tout de suite, un message par événement")
        DAILY = "daily", _("Dans le résumé quotidien")
        WEEKLY = "weekly", _("Dans le résumé hebdomadaire")
        NEVER = "never", _("Jamais")

    # The events, in the order the preferences page shows them.
    EVENTS = ("new_case", "reply", "deadline")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_preferences"
    )
    new_case = models.CharField(
        _("Nouvelle demande dans l'un de mes services"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    reply = models.CharField(
        _("Réponse d'un usager sur une demande que je suis"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    deadline = models.CharField(
        _("Demande bientôt échue (décision implicite proche)"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    # Absence: no email up to and including this day; the tasks go to the delegate.
    paused_until = models.DateField(_("absent jusqu'au"), null=True, blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collègue qui reprend mes dossiers"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return f"preferences of {self.user_id}"

    def is_paused(self, day) -> bool:
        return self.paused_until is not None and day <= self.paused_until


# The expert opinions live in their own module (workflows/avis, ADR 0408).
from .avis.models import Avis, AvisEvent, AvisFile  # noqa: E402

__all__ = [
    "Avis",
    "AvisEvent",
    "AvisFile",
    "CaseProcess",
    "Export",
    "InstructorPreferences",
]

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

"""The portal's demandes, read-only: an unmanaged model of ``cases_case``."""

from django.db import models


class Case(models.Model):
    id = models.UUIDField(primary_key=True)
    number = models.CharField(max_length=10, unique=True, null=True)  # noqa: DJ001
    status = models.CharField(max_length=20)
    submitted_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "cases_case"

    def __str__(self):
        return self.number or ""

"""CSV and XLSX exports of a filtered list, built in a Celery task and streamed row by row
from the database (``iterator``): no request ever loops over a large list.

Exports carry the applicant's answers as filed, never private notes.
"""

import csv
import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from openpyxl import Workbook

from .models import Export
from .selectors import cases_for_instructor, filter_cases

COLUMNS = ("Numéro", "Démarche", "État", "Déposée le", "Décidée le", "Usager", "Motif")


def _rows(export: Export):
    queryset = (
        filter_cases(cases_for_instructor(export.requested_by), export.requested_by, export.filters)
        .select_related("procedure")
        .order_by("submitted_at", "id")
    )
    for case in queryset.iterator(chunk_size=2000):
        yield (
            case.display_number,
            case.procedure.title,
            str(case.get_status_display()),
            case.submitted_at.strftime("%d/%m/%Y") if case.submitted_at else "",
            case.decided_at.strftime("%d/%m/%Y") if case.decided_at else "",
            case.applicant_email,
            case.decision_reason,
        )


def _csv(rows) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx(rows) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Demandes")
    sheet.append(COLUMNS)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_build(*, export_id) -> Export:
    """Build the file of a pending export; running it twice does nothing more."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("requested_by").get(pk=export_id)
        if export.state != Export.State.PENDING:
            return export
    content, count = (_xlsx if export.format == Export.Format.XLSX else _csv)(_rows(export))
    key = storages["private"].save(
        f"exports/{uuid.uuid4().hex}.{export.format}", ContentFile(content)
    )
    Export.objects.filter(pk=export.pk, state=Export.State.PENDING).update(
        state=Export.State.READY, storage_key=key, rows=count
    )
    export.refresh_from_db()
    return export

"""CSV and XLSX exports of the list an instructor was looking at (tab, filters, order),
built in a Celery task and streamed row by row from the database (``iterator``): no
request ever loops over a large list.

Exports carry the applicant's answers as filed (one column per field when the list is
filtered on one démarche), never private notes. Cells are typed and formula-safe
(``workflows.spreadsheet``).
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cases.formdef import NUMBER_TYPES, FieldSpec, display_value
from cases.models import Procedure

from .labels import staff_status_label
from .models import Export
from .selectors import TABS, colleagues_of, queue_list, queue_order
from .spreadsheet import to_csv, to_xlsx


def _columns() -> list[str]:
    return [
        _("Numéro"),
        _("Démarche"),
        _("État"),
        _("Déposée le"),
        _("Décidée le"),
        _("Usager"),
        _("Instructeur"),
        _("Motif"),
    ]


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _answer(spec: FieldSpec, answers: dict):
    """A typed answer: a number, a date, or the text the demande page shows."""
    value = answers.get(spec.name)
    if value in (None, "", []):
        return None
    if spec.type in NUMBER_TYPES:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return int(number) if number == number.to_integral_value() else number
    if spec.type == "date":
        return parse_date(str(value)) or str(value)
    return display_value(spec, answers)


def _answer_fields(user, filters: dict) -> list[FieldSpec]:
    """The fields of the démarche the list is filtered on (none across démarches: their
    questions differ)."""
    if not filters.get("procedure"):
        return []
    procedure = (
        Procedure.objects.filter(pk=filters["procedure"], service__instructors=user)
        .select_related("current_version")
        .first()
    )
    if procedure is None or procedure.current_version is None:
        return []
    return [spec for spec in procedure.current_version.fields if not spec.is_file]


def _rows(export: Export, fields: list[FieldSpec]):
    user, filters = export.requested_by, dict(export.filters)
    tab = filters.pop("tab", "tous")
    sort = filters.pop("sort", "recent")
    names = {u.pk: u.get_full_name() or u.email for u in colleagues_of(user)}
    queryset = queue_list(user=user, tab=tab if tab in TABS else "tous", filters=filters)
    for case in queryset.order_by(*queue_order(sort)).iterator(chunk_size=2000):
        yield (
            case.display_number,
            case.procedure.title,
            staff_status_label(case.status),
            _local_date(case.submitted_at),
            _local_date(case.decided_at),
            case.applicant_email,
            names.get(case.task_owner_id, ""),
            case.decision_reason,
            *(_answer(spec, case.answers or {}) for spec in fields),
        )


def export_build(*, export_id) -> Export:
    """Build the file of a pending export; running it twice does nothing more."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("requested_by").get(pk=export_id)
        if export.state != Export.State.PENDING:
            return export
    fields = _answer_fields(export.requested_by, export.filters)
    header = _columns() + [spec.label for spec in fields]
    rows = _rows(export, fields)
    if export.format == Export.Format.XLSX:
        content, count = to_xlsx(_("Demandes"), header, rows)
    else:
        content, count = to_csv(header, rows)
    key = storages["private"].save(
        f"exports/{uuid.uuid4().hex}.{export.format}", ContentFile(content)
    )
    Export.objects.filter(pk=export.pk, state=Export.State.PENDING).update(
        state=Export.State.READY, storage_key=key, rows=count
    )
    export.refresh_from_db()
    return export

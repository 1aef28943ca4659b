"""CSV and XLSX exports of the list an instructor was looking at (tab, filters, order),
built in a Celery task and streamed row by row from the database (``iterator``): no
request ever loops over a large list.

Exports carry the applicant's answers as filed (one column per field when the list is
filtered on one démarche) and how many expert opinions were asked and answered (ADR 0408),
never private notes. Cells are typed and formula-safe
(``workflows.spreadsheet``).
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cases.formdef import NUMBER_TYPES, FieldSpec, display_value
from locker import vault

from .avis.selectors import with_avis_counts
from .labels import staff_status_label
from .models import Export
from .selectors import TABS, colleagues_of, procedures_of, queue_list, queue_order
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
        _("Avis d'experts demandés"),
        _("Avis d'experts rendus"),
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
        procedures_of(user)
        .filter(pk=filters["procedure"])
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
    tab = tab if tab in TABS else "tous"
    queryset = with_avis_counts(queue_list(user=user, tab=tab, filters=filters))
    for case in queryset.order_by(*queue_order(sort, tab)).iterator(chunk_size=2000):
        yield (
            case.display_number,
            case.procedure.title,
            staff_status_label(case.status),
            _local_date(case.submitted_at),
            _local_date(case.decided_at),
            case.applicant_email,
            names.get(case.task_owner_id, ""),
            case.decision_reason,
            case.avis_asked,
            case.avis_answered,
            *(_answer(spec, case.answers or {}) for spec in fields),
        )


# Where exports live in the vault: exports/<uuid>.<format>. They are kept 32 hours.
PREFIX = "exports"
LIFETIME = timedelta(hours=32)


def export_content(export: Export) -> bytes:
    """The plain bytes of a ready export (the caller has checked who may read it)."""
    return vault.read(export.data_key, export.storage_key)


def exports_expire(*, now=None) -> int:
    """Delete exports older than ``LIFETIME``: the row, its bytes and its key."""
    limit = (now or timezone.now()) - LIFETIME
    deleted = 0
    for export in Export.objects.filter(created_at__lt=limit).select_related("data_key"):
        with transaction.atomic():
            vault.delete_on_commit([export.storage_key])
            export.delete()
            if export.data_key is not None:
                export.data_key.delete()
            deleted += 1
    return deleted


def exports_encrypt() -> int:
    """Encrypt the exports an older version stored in clear (run after every ``migrate``);
    resumable and idempotent like ``cases.services.case_files_encrypt``."""
    done = 0
    pending = Export.objects.filter(encrypted=False).exclude(storage_key="")
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            export = Export.objects.select_for_update().get(pk=pk)
            if export.encrypted:
                continue
            old_key = export.storage_key
            export.data_key = vault.data_key_new()
            export.storage_key = vault.encrypt_clear(export.data_key, old_key, prefix=PREFIX)
            export.encrypted = True
            export.save(update_fields=["storage_key", "data_key", "encrypted"])
            vault.delete_on_commit([old_key])
            done += 1
    return done


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
    data_key = vault.data_key_new()
    key = vault.put(data_key, content, prefix=PREFIX, suffix=f".{export.format}")
    Export.objects.filter(pk=export.pk, state=Export.State.PENDING).update(
        state=Export.State.READY, storage_key=key, data_key=data_key, rows=count
    )
    export.refresh_from_db()
    return export

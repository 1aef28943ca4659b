"""Retention of finished demandes (ADR 0406): the notice two weeks before the end, the one
extension, the trash, the deletion, and the ``retention_purge`` run that does the three
steps in order.

Each demande is handled in its own transaction on a row locked with
``select_for_update(skip_locked=True)``: a run that stops midway leaves every demande
either done or untouched, the next run resumes, and two runs at once share the work.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import notifications
from cases.models import Case, CaseEvent, DeletedCase, PurgeRun
from locker import vault

from .common import case_event_write

logger = logging.getLogger(__name__)

# The notice is sent this long before the end of retention, and a trashed demande is
# deleted this long after it went to the trash.
NOTICE_PERIOD = timedelta(days=14)
TRASH_PERIOD = timedelta(days=14)
BATCH_SIZE = 50


def _finished():
    return Case.objects.filter(status__in=Case.FINISHED, expires_at__isnull=False)


def _due_notice(now):
    return _finished().filter(
        trashed_at__isnull=True,
        expiry_notice_sent_at__isnull=True,
        expires_at__lte=now + NOTICE_PERIOD,
    )


def _due_trash(now):
    # The applicant always has the whole notice period, even when the notice went late.
    return _finished().filter(
        trashed_at__isnull=True,
        expires_at__lte=now,
        expiry_notice_sent_at__lte=now - NOTICE_PERIOD,
    )


def _due_delete(now):
    return _finished().filter(trashed_at__lte=now - TRASH_PERIOD)


def in_notice_period(case: Case, now=None) -> bool:
    """Whether the applicant has been told of the end and may still extend (once)."""
    now = now or timezone.now()
    return (
        case.is_finished
        and case.trashed_at is None
        and case.expiry_notice_sent_at is not None
        and not case.extended
        and case.expires_at is not None
        and now < case.expires_at
    )


def _locked(case: Case, queryset=None) -> Case | None:
    """The case's row locked for this transaction, if it still matches ``queryset``."""
    queryset = Case.objects.all() if queryset is None else queryset
    return (
        queryset.select_for_update(skip_locked=True, of=("self",))
        .select_related("procedure", "service")
        .filter(pk=case.pk)
        .first()
    )


def case_retention_notice(*, case: Case) -> Case | None:
    """Tell the applicant that the demande will be deleted at the end of its retention,
    with links to download it and to ask for one extension. Sent once per retention
    period: None when it already was (or another run holds the row)."""
    with transaction.atomic():
        locked = _locked(case, _finished().filter(expiry_notice_sent_at__isnull=True))
        if locked is None:
            return None
        locked.expiry_notice_sent_at = timezone.now()
        locked.save(update_fields=["expiry_notice_sent_at", "updated_at"])
        event = case_event_write(
            locked, CaseEvent.Kind.RETENTION_NOTICE, role=CaseEvent.Role.SYSTEM
        )
        notifications.notify(locked, "retention_notice", cause=event)
    return locked


def case_retention_extend(*, case: Case) -> Case:
    """Keep the demande one more retention period of its démarche, counted from the
    current end (not from today): once only, and only once the notice was sent and the
    demande is not in the trash. The applicant is told again before the new end."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not in_notice_period(locked):
            raise ValidationError(
                _("Cette demande ne peut plus être prolongée."), code="not_extendable"
            )
        locked.expires_at += relativedelta(months=locked.procedure.retention_months)
        locked.extended, locked.expiry_notice_sent_at = True, None
        locked.save(update_fields=["expires_at", "extended", "expiry_notice_sent_at", "updated_at"])
        case_event_write(locked, CaseEvent.Kind.RETENTION_EXTENDED, role=CaseEvent.Role.APPLICANT)
    return locked


def case_trash(*, case: Case) -> Case | None:
    """The end of retention: the demande leaves the applicant's lists and pages. It is
    deleted ``TRASH_PERIOD`` later. None when it already is in the trash."""
    with transaction.atomic():
        locked = _locked(case, _finished().filter(trashed_at__isnull=True))
        if locked is None:
            return None
        locked.trashed_at = timezone.now()
        locked.save(update_fields=["trashed_at", "updated_at"])
        case_event_write(locked, CaseEvent.Kind.TRASHED, role=CaseEvent.Role.SYSTEM)
    return locked


def case_delete(*, case: Case) -> DeletedCase | None:
    """Delete a trashed demande with everything it holds: its timeline, messages, notes,
    email codes, instruction rounds and files (rows cascade; the stored bytes are removed
    by the vault once the deletion commits, and the demande's data key goes with it, so
    a copy left behind could not be read). Only the service's record is kept."""
    with transaction.atomic():
        locked = _locked(case, _finished().filter(trashed_at__isnull=False))
        if locked is None:
            return None
        record = DeletedCase.objects.create(
            number=locked.number,
            procedure=locked.procedure,
            procedure_title=locked.procedure.title,
            service=locked.service,
            status=locked.status,
            submitted_at=locked.submitted_at,
            decided_at=locked.decided_at,
        )
        keys = list(locked.files.values_list("storage_key", flat=True))
        data_key = locked.data_key
        locked.delete()
        if data_key is not None:
            data_key.delete()
        vault.delete_on_commit(keys)
    return record


STEPS = (
    ("notices_sent", _due_notice, case_retention_notice),
    ("trashed", _due_trash, case_trash),
    ("deleted", _due_delete, case_delete),
)


def retention_purge(*, batch_size: int = BATCH_SIZE) -> PurgeRun:
    """Send the notices, then trash, then delete what is due, in batches of
    ``batch_size``. Each demande is its own transaction and the run's row counts as it
    goes. A demande that fails is logged and counted, and tried again by the next run."""
    run = PurgeRun.objects.create()
    for counter, due, service in STEPS:
        now = timezone.now()
        after = None
        while True:
            batch = due(now).order_by("pk")
            if after is not None:
                batch = batch.filter(pk__gt=after)
            ids = list(batch.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            after = ids[-1]
            for pk in ids:
                try:
                    done = service(case=Case(pk=pk))
                except Exception:
                    logger.exception("retention purge failed", extra={"case": str(pk)})
                    PurgeRun.objects.filter(pk=run.pk).update(errors=F("errors") + 1)
                    continue
                if done is not None:  # None: another run did it, or holds the row
                    PurgeRun.objects.filter(pk=run.pk).update(**{counter: F(counter) + 1})
    PurgeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    run.refresh_from_db()
    return run


__all__ = [
    "NOTICE_PERIOD",
    "TRASH_PERIOD",
    "case_delete",
    "case_retention_extend",
    "case_retention_notice",
    "case_trash",
    "in_notice_period",
    "retention_purge",
]

"""Writes for the porte-documents. Keyword-only, named ``<entity>_<action>``.

Quota: every write that changes a space's usage locks its ``SpaceLocker`` row first, so
concurrent uploads are serialised and the check-then-add cannot race. Bytes are stored
(encrypted) before the transaction and removed again if the transaction refuses them or
fails; a crash in between leaves an orphan the periodic cleanup removes.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from identity.models import Membership, Notification, Space
from identity.services import notification_enqueue
from locker.inspection import InspectionResult, inspect_upload
from locker.inspection.names import split_extension

from . import crypto, vault
from .models import Document, DocumentChange, SpaceLocker
from .sizes import format_size

# Where the porte-documents' files live in the vault: locker/<space id>/<uuid>.
PREFIX = "locker"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadOutcome:
    """One file's fate: a document, or a reason code and a French message."""

    file_name: str
    document: Document | None = None
    reason: str | None = None
    message: str | None = None

    @property
    def accepted(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class FileCopy:
    """Plain bytes and facts of a document, for a demande to keep its own copy."""

    file_name: str
    mime: str
    size: int
    sha256: str
    content: bytes


def space_locker_get_or_create(*, space: Space) -> SpaceLocker:
    locker = SpaceLocker.objects.filter(space=space).first()
    if locker is not None:
        return locker
    wrapped, key_id = crypto.wrap(crypto.new_data_key(), holder=f"space:{space.pk}")
    try:
        with transaction.atomic():
            return SpaceLocker.objects.create(
                space=space, wrapped_key=wrapped, master_key_id=key_id
            )
    except IntegrityError:  # created concurrently
        return SpaceLocker.objects.get(space=space)


def _quota_message() -> str:
    return _(
        "Votre porte-documents est plein (%(quota)s au maximum). Supprimez des documents "
        "dont vous n'avez plus besoin puis réessayez."
    ) % {"quota": format_size(settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES)}


def _title_from(file_name: str) -> str:
    return split_extension(file_name)[0][:200]


def _refused(result: InspectionResult) -> UploadOutcome:
    return UploadOutcome(result.stored_name, reason=result.reason, message=result.message)


def document_upload(
    *,
    space: Space,
    fileobj,
    name: str,
    title: str = "",
    kind: str = Document.Kind.OTHER,
    expires_on: date | None = None,
) -> UploadOutcome:
    """Inspect (context ``locker``), encrypt, store and record one file within quota."""
    result = inspect_upload(fileobj, name=name, context="locker")
    if not result.accepted:
        return _refused(result)
    locker = space_locker_get_or_create(space=space)
    key = vault.put(locker, result.content, prefix=f"{PREFIX}/{locker.space_id}")
    try:
        with transaction.atomic():
            locked = SpaceLocker.objects.select_for_update().get(pk=locker.pk)
            if locked.used_bytes + result.size > settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES:
                document = None
            else:
                document = Document.objects.create(
                    space=space,
                    title=title.strip()[:200] or _title_from(result.stored_name),
                    kind=kind,
                    expires_on=expires_on,
                    storage_key=key,
                    file_name=result.stored_name,
                    mime=result.mime,
                    size=result.size,
                    sha256=result.sha256,
                )
                _record(document, DocumentChange.Action.ADDED)
                SpaceLocker.objects.filter(pk=locked.pk).update(
                    used_bytes=F("used_bytes") + result.size
                )
    except BaseException:
        vault.delete(key)
        raise
    if document is None:
        vault.delete(key)
        return UploadOutcome(result.stored_name, reason="quota_exceeded", message=_quota_message())
    return UploadOutcome(result.stored_name, document=document)


def documents_upload(*, space: Space, files, kind: str, expires_on: date | None, title: str = ""):
    """Upload several files; each gets its own outcome (one refusal never stops the rest).
    ``title`` only applies when there is a single file."""
    files = list(files)
    return [
        document_upload(
            space=space,
            fileobj=upload,
            name=upload.name,
            title=title if len(files) == 1 else "",
            kind=kind,
            expires_on=expires_on,
        )
        for upload in files
    ]


def _record(document: Document, action: str) -> None:
    DocumentChange.objects.create(
        document=document,
        action=action,
        file_name=document.file_name,
        size=document.size,
        sha256=document.sha256,
    )


def document_update(
    *, document: Document, title: str, kind: str, expires_on: date | None
) -> Document:
    """Rename, change the type or the expiry date."""
    if expires_on != document.expires_on:
        document.expiry_reminded_for = None
    document.title = title.strip()[:200] or document.title
    document.kind = kind
    document.expires_on = expires_on
    with transaction.atomic():
        document.save(
            update_fields=["title", "kind", "expires_on", "expiry_reminded_for", "updated_at"]
        )
        _record(document, DocumentChange.Action.EDITED)
    return document


def document_replace(*, document: Document, fileobj, name: str) -> UploadOutcome:
    """Put a new file in an existing document; the old bytes go once this commits."""
    result = inspect_upload(fileobj, name=name, context="locker")
    if not result.accepted:
        return _refused(result)
    locker = space_locker_get_or_create(space=document.space)
    key = vault.put(locker, result.content, prefix=f"{PREFIX}/{locker.space_id}")
    try:
        with transaction.atomic():
            locked = SpaceLocker.objects.select_for_update().get(pk=locker.pk)
            current = Document.objects.select_for_update().get(pk=document.pk)
            delta = result.size - current.size
            if locked.used_bytes + delta > settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES:
                replaced = None
            else:
                old_key = current.storage_key
                current.storage_key = key
                current.file_name = result.stored_name
                current.mime = result.mime
                current.size = result.size
                current.sha256 = result.sha256
                current.save()
                _record(current, DocumentChange.Action.REPLACED)
                SpaceLocker.objects.filter(pk=locked.pk).update(used_bytes=F("used_bytes") + delta)
                transaction.on_commit(lambda: vault.delete(old_key))
                replaced = current
    except BaseException:
        vault.delete(key)
        raise
    if replaced is None:
        vault.delete(key)
        return UploadOutcome(result.stored_name, reason="quota_exceeded", message=_quota_message())
    return UploadOutcome(result.stored_name, document=replaced)


def document_delete(*, document: Document) -> None:
    """Delete the row and give back its bytes; the stored object goes once this commits
    (see ``receivers``, which also covers deletions cascading from a space)."""
    with transaction.atomic():
        locker = SpaceLocker.objects.select_for_update().filter(space_id=document.space_id).first()
        if locker is not None:
            SpaceLocker.objects.filter(pk=locker.pk).update(
                used_bytes=F("used_bytes") - document.size
            )
        document.delete()


def document_read(*, document: Document) -> bytes:
    """The plaintext bytes of a document (decrypted)."""
    locker = SpaceLocker.objects.get(space_id=document.space_id)
    return vault.read(locker, document.storage_key)


def document_copy(*, document: Document) -> FileCopy:
    """An independent copy of a document's file, for a demande to store as its own:
    deleting or replacing the locker document later never changes what was filed."""
    return FileCopy(
        file_name=document.file_name,
        mime=document.mime,
        size=document.size,
        sha256=document.sha256,
        content=document_read(document=document),
    )


def document_receive(
    *, space: Space, accepted, origin_label: str, kind: str = Document.Kind.DECISION
) -> UploadOutcome:
    """A file sent by a service (decision, document from an instructor) lands in the
    space. ``accepted`` is the file as the demande already holds it — inspected once, by
    the upload that brought it (an ``InspectionResult``), or generated by the service —
    and it is never refused for quota: what a service sends must arrive (ADR 0103)."""
    locker = space_locker_get_or_create(space=space)
    key = vault.put(locker, accepted.content, prefix=f"{PREFIX}/{locker.space_id}")
    try:
        with transaction.atomic():
            SpaceLocker.objects.select_for_update().get(pk=locker.pk)
            document = Document.objects.create(
                space=space,
                title=_title_from(accepted.stored_name),
                kind=kind,
                storage_key=key,
                file_name=accepted.stored_name,
                mime=accepted.mime,
                size=accepted.size,
                sha256=accepted.sha256,
                origin=Document.Origin.RECEIVED,
                origin_label=origin_label[:200],
            )
            _record(document, DocumentChange.Action.RECEIVED)
            SpaceLocker.objects.filter(pk=locker.pk).update(
                used_bytes=F("used_bytes") + accepted.size
            )
    except BaseException:
        vault.delete(key)
        raise
    return UploadOutcome(accepted.stored_name, document=document)


def document_expiry_reminders_send(*, today: date) -> int:
    """Email the space's holders once per document and expiry date, from
    GUICHET_LOCKER_EXPIRY_REMINDER_DAYS before it. Safe to run twice or concurrently."""
    horizon = today + timedelta(days=settings.GUICHET_LOCKER_EXPIRY_REMINDER_DAYS)
    sent = 0
    due = Document.objects.filter(expires_on__gte=today, expires_on__lte=horizon).exclude(
        expiry_reminded_for=F("expires_on")
    )
    for document_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            document = (
                Document.objects.select_for_update(skip_locked=True)
                .filter(pk=document_id, expires_on__gte=today, expires_on__lte=horizon)
                .exclude(expiry_reminded_for=F("expires_on"))
                .first()
            )
            if document is None:
                continue
            for email in _holders(document.space):
                notification_enqueue(
                    channel=Notification.Channel.EMAIL,
                    recipient=email,
                    subject=_("Un document de votre porte-documents va expirer"),
                    body_text=_reminder_text(document),
                )
            document.expiry_reminded_for = document.expires_on
            document.save(update_fields=["expiry_reminded_for"])
            sent += 1
    return sent


def _holders(space: Space) -> list[str]:
    roles = [Membership.Role.OWNER, Membership.Role.MANAGER, Membership.Role.CO_MANAGER]
    return list(
        space.memberships.filter(role__in=roles, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _reminder_text(document: Document) -> str:
    return _(
        "Bonjour,\n\nLe document « %(title)s » de votre porte-documents expire le "
        "%(date)s.\n\nPensez à demander un nouveau document puis à l'ajouter à votre "
        "porte-documents : %(url)s\n"
    ) % {
        "title": document.title,
        "date": document.expires_on.strftime("%d/%m/%Y"),
        "url": settings.GUICHET_SITE_URL.rstrip("/") + "/porte-documents/",
    }

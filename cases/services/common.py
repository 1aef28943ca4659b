"""Helpers shared by the cases services: timeline entries and stored files."""

from dataclasses import dataclass

from django.db import transaction

from cases.models import Case, CaseEvent, CaseFile
from identity.models import Space
from locker import vault
from locker.models import DataKey, Document
from locker.selectors import document_get
from locker.services import document_copy, document_receive


def case_event_write(case, kind, *, role, actor=None, summary=""):
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, actor_role=role, status=case.status, summary=summary
    )


# Where a demande's files live in the vault: cases/<case id>/<uuid>.
PREFIX = "cases"


def case_data_key(case: Case) -> DataKey:
    """The demande's own data key, made with its first file. It does not depend on the
    applicant's space: the demande and its files outlive a deleted account."""
    if case.data_key_id is None:
        key = vault.data_key_new()
        if Case.objects.filter(pk=case.pk, data_key__isnull=True).update(data_key=key):
            case.data_key = key
        else:  # another request gave the demande its key first
            key.delete()
            case.refresh_from_db(fields=["data_key"])
    return case.data_key


def case_file_content(case_file: CaseFile) -> bytes:
    """The plain bytes of a demande's file (the caller has checked who may read it)."""
    return vault.read(case_file.case.data_key, case_file.storage_key)


def case_files_encrypt() -> int:
    """Encrypt the demande files an older version stored in clear (run after every
    ``migrate``). Each file is done in its own transaction: the job can stop and resume,
    and a second run finds nothing to do. Returns how many files were encrypted."""
    done = 0
    pending = CaseFile.objects.filter(encrypted=False).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            file = CaseFile.objects.select_for_update().select_related("case").get(pk=pk)
            if file.encrypted:
                continue
            old_key = file.storage_key
            holder = case_data_key(file.case)
            prefix = f"{PREFIX}/{file.case_id}"
            file.storage_key = vault.encrypt_clear(holder, old_key, prefix=prefix)
            file.encrypted = True
            file.save(update_fields=["storage_key", "encrypted"])
            vault.delete_on_commit([old_key])
            done += 1
    return done


def case_file_store(
    case: Case,
    result,
    *,
    role: str,
    field_name: str = "",
    message=None,
    locker_kind: str = Document.Kind.OTHER,
) -> CaseFile:
    """Store the case's own copy of an accepted file, encrypted with the demande's key. A
    file sent by the service to an applicant with an account also lands in their
    porte-documents, marked as received."""
    stored_key = vault.put(case_data_key(case), result.content, prefix=f"{PREFIX}/{case.pk}")
    if role == CaseEvent.Role.INSTRUCTOR and case.space_id:
        document_receive(
            space=case.space,
            accepted=result,
            origin_label=f"{case.procedure.title} ({case.display_number})",
            kind=locker_kind,
        )
    return CaseFile.objects.create(
        case=case,
        field_name=field_name,
        message=message,
        name=result.stored_name,
        storage_key=stored_key,
        encrypted=True,
        size=result.size,
        sha256=result.sha256,
        mime=result.mime,
        uploaded_by_role=role,
    )


@dataclass(frozen=True)
class FileBytes:
    """Bytes the case stores as its own file (a locker copy, a generated letter), shaped
    like an accepted inspection result."""

    stored_name: str
    content: bytes
    size: int
    sha256: str
    mime: str


def locker_files(*, space: Space | None, document_ids) -> list[FileBytes]:
    """Copies of the chosen documents of ``space`` (another space's id is a 404): deleting
    or replacing the locker document later never changes what the demande keeps."""
    if space is None:
        return []
    copies = [
        document_copy(document=document_get(space=space, document_id=document_id))
        for document_id in dict.fromkeys(document_ids)
    ]
    return [FileBytes(c.file_name, c.content, c.size, c.sha256, c.mime) for c in copies]

"""Helpers shared by the cases services: timeline entries and stored files."""

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from cases.models import Case, CaseEvent, CaseFile
from identity.models import Space
from locker.models import Document
from locker.selectors import document_get
from locker.services import document_copy, document_receive


def case_event_write(case, kind, *, role, actor=None, summary=""):
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, actor_role=role, status=case.status, summary=summary
    )


def case_file_store(
    case: Case,
    result,
    *,
    role: str,
    field_name: str = "",
    message=None,
    locker_kind: str = Document.Kind.OTHER,
) -> CaseFile:
    """Store the case's own copy of an accepted file. A file sent by the service to an
    applicant with an account also lands in their porte-documents, marked as received."""
    key = f"cases/{case.pk}/{uuid.uuid4().hex}"
    stored_key = storages["private"].save(key, ContentFile(result.content))
    if role == CaseEvent.Role.INSTRUCTOR and case.space_id:
        document_receive(
            space=case.space,
            fileobj=BytesIO(result.content),
            name=result.stored_name,
            origin_label=f"{case.procedure.title} ({case.display_number})",
            kind=locker_kind,
        )
    return CaseFile.objects.create(
        case=case,
        field_name=field_name,
        message=message,
        name=result.stored_name,
        storage_key=stored_key,
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

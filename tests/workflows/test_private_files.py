"""Every private file is encrypted at rest (ADR 0104): what the storage holds — the file
system in the first CI pass, S3 (moto) in the second — never contains the plain bytes.

One demande goes through every way a private file is made: uploaded with the form, taken
from the porte-documents, attached to a reply, sent by the instructor, a decision letter
(also copied to the applicant's porte-documents), and an export of the list. Then every
object the storage holds is read raw.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseFile
from cases.services import FileBytes, case_file_content, case_file_store
from identity.selectors import space_personal_for
from locker import crypto, vault
from locker.models import DataKey, Document, SpaceLocker
from locker.services import document_read, document_upload
from tests.support.factories import CaseFactory
from tests.support.files import pdf_bytes
from tests.support.filing import pdf_upload
from tests.support.instruction import act, file_heating_aid, reply, take
from workflows import tasks
from workflows.exports import export_content
from workflows.models import Export

from .test_exports import export

pytestmark = pytest.mark.django_db

PREFIXES = ("locker", "cases", "exports")


def _stored_objects() -> list[str]:
    return [key for prefix in PREFIXES for key in vault._walk(prefix)]


def _assert_ciphertext(plain: bytes, storage_key: str) -> None:
    stored = vault.raw(storage_key)
    assert stored.startswith(crypto.MAGIC), storage_key
    # No 16-byte run of the plain file shows in what the storage holds.
    runs = {plain[i : i + 16] for i in range(0, max(len(plain) - 16, 1), max(len(plain) // 64, 1))}
    assert not [run for run in runs if run in stored], storage_key


def _decided_demande(applicant, applicant_client, instructor_client) -> Case:
    """A demande with a file from the porte-documents, a reply with a file, an instructor's
    attachment and a generated decision letter."""
    id_card = document_upload(
        space=space_personal_for(user=applicant),
        fileobj=io.BytesIO(pdf_bytes(2)),
        name="carte-identite.pdf",
        title="Ma carte d'identité",
        kind="identity",
    ).document
    # The identity card: one photo uploaded, one document from the porte-documents; the
    # tax notice "plus tard", sent later in a reply.
    case = file_heating_aid(applicant_client, locker__piece_identite=str(id_card.pk))
    reply(applicant_client, case, avis_imposition=pdf_upload("avis-2025.pdf"))
    take(instructor_client, case)
    act(instructor_client, case, "request", body="Précisez.", files=[pdf_upload("notice.pdf")])
    reply(applicant_client, case, body="Au gaz.")
    take(instructor_client, case)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted", reason="", generate_letter="on")
    assert case.status == Case.Status.ACCEPTED
    return case


def test_every_kind_of_private_file_is_ciphertext_in_the_storage(
    applicant, applicant_client, instructor, instructor_client
):
    case = _decided_demande(applicant, applicant_client, instructor_client)
    made = export(instructor_client, "csv", onglet="tous")

    kinds = {
        "form field": case.files.filter(field_name="piece_identite", name="recto.png"),
        "from the porte-documents": case.files.filter(name="carte-identite.pdf"),
        "reply attachment": case.files.filter(message__author_role="applicant"),
        "instructor attachment": case.files.filter(message__author_role="instructor"),
        "decision letter": case.files.filter(name__startswith="courrier-decision"),
    }
    for kind, files in kinds.items():
        assert files.exists(), kind
        for file in files:
            _assert_ciphertext(case_file_content(file), file.storage_key)
    documents = Document.objects.filter(space=space_personal_for(user=applicant))
    assert {d.origin for d in documents} == {"uploaded", "received"}
    for document in documents:
        _assert_ciphertext(document_read(document=document), document.storage_key)
    _assert_ciphertext(export_content(made), made.storage_key)

    # Nothing in the storage escaped the vault: every object is a vault ciphertext.
    stored = _stored_objects()
    assert len(stored) >= CaseFile.objects.count() + documents.count() + 1
    assert [key for key in stored if not vault.is_encrypted(key)] == []


def test_a_demande_key_is_its_own_and_outlives_the_account(applicant):
    case = CaseFactory(awaiting_applicant=True, deferred=True, applicant=applicant)
    file = case.files.get(field_name="piece_identite")
    plain = case_file_content(file)
    # The account's space goes (account deletion); the demande stays with the service.
    space_personal_for(user=applicant).delete()
    file.refresh_from_db()
    assert file.case.space is None
    assert case_file_content(file) == plain


def test_a_file_written_in_a_rolled_back_transaction_is_swept(applicant):
    case = CaseFactory(awaiting_applicant=True, deferred=True, applicant=applicant)
    before = set(_stored_objects())
    content = pdf_bytes()
    letter = FileBytes(
        stored_name="lettre.pdf",
        content=content,
        size=len(content),
        sha256="0" * 64,
        mime="application/pdf",
    )

    def decide_then_fail():
        with transaction.atomic():
            case_file_store(case, letter, role="instructor")
            raise RuntimeError("the decision failed after the letter was written")

    with pytest.raises(RuntimeError):
        decide_then_fail()
    # The demande's copy, and the copy sent to the applicant's porte-documents.
    orphans = set(_stored_objects()) - before
    assert {key.split("/")[0] for key in orphans} == {"cases", "locker"}

    assert vault.sweep(older_than_seconds=3600) == 0  # in flight for a while: kept
    vault.sweep(older_than_seconds=0)
    assert [key for key in orphans if vault.stored(key)] == []
    assert all(vault.stored(key) for key in case.files.values_list("storage_key", flat=True))


def test_an_export_is_gone_after_32_hours(instructor_client, django_capture_on_commit_callbacks):
    CaseFactory(awaiting_applicant=True, deferred=True)
    made = export(instructor_client, "csv", onglet="tous")
    with time_machine.travel(timezone.now() + timedelta(hours=31)):
        assert tasks.expire_exports() == 0
    with (
        time_machine.travel(timezone.now() + timedelta(hours=32, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.expire_exports() == 1
    assert not Export.objects.filter(pk=made.pk).exists()
    assert not DataKey.objects.filter(pk=made.data_key_id).exists()
    assert not vault.stored(made.storage_key)
    assert instructor_client.get(f"/instruction/exports/{made.pk}/").status_code == 404


def test_migrate_encrypts_files_an_older_version_stored_in_clear(
    instructor, django_capture_on_commit_callbacks
):
    case = CaseFactory(awaiting_applicant=True, deferred=True)
    clear_pdf = pdf_bytes()
    storage = storages[vault.ALIAS]
    legacy_key = storage.save(f"cases/{case.pk}/legacy", ContentFile(clear_pdf))
    legacy = CaseFile.objects.create(
        case=case,
        field_name="avis_imposition",
        name="avis.pdf",
        storage_key=legacy_key,
        encrypted=False,
        size=len(clear_pdf),
        sha256="0" * 64,
        mime="application/pdf",
        uploaded_by_role="applicant",
    )
    clear_csv = "Numéro;Nom\r\nX;Y\r\n".encode()
    export_key = storage.save("exports/legacy.csv", ContentFile(clear_csv))
    old_export = Export.objects.create(
        requested_by=instructor,
        format="csv",
        state=Export.State.READY,
        storage_key=export_key,
        encrypted=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)

    legacy.refresh_from_db()
    old_export.refresh_from_db()
    assert legacy.encrypted
    assert old_export.encrypted
    assert case_file_content(legacy) == clear_pdf
    assert export_content(old_export) == clear_csv
    _assert_ciphertext(clear_pdf, legacy.storage_key)
    assert not vault.stored(legacy_key)
    assert not vault.stored(export_key)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)  # a second run changes nothing
    assert CaseFile.objects.get(pk=legacy.pk).storage_key == legacy.storage_key


def test_key_rotation_covers_demandes_and_exports(instructor_client, settings):
    case = CaseFactory(awaiting_applicant=True, deferred=True)
    made = export(instructor_client, "csv", onglet="tous")
    file = case.files.get(field_name="piece_identite")
    plain_file, plain_export = case_file_content(file), export_content(made)
    assert DataKey.objects.count() == 2  # the demande's, the export's
    holders = DataKey.objects.count() + SpaceLocker.objects.count()

    old_key = settings.GUICHET_LOCKER_MASTER_KEY
    settings.GUICHET_LOCKER_MASTER_KEY = "bmV3LW1hc3Rlci1rZXktZm9yLXJvdGF0aW9uLXRlc3Q="
    settings.GUICHET_LOCKER_OLD_MASTER_KEYS = [old_key]
    out = io.StringIO()
    call_command("locker_rotate_master_key", stdout=out)
    assert f"{holders} data key(s) re-wrapped" in out.getvalue()

    settings.GUICHET_LOCKER_OLD_MASTER_KEYS = []  # the old key can go
    file.refresh_from_db()
    made.refresh_from_db()
    assert case_file_content(file) == plain_file
    assert export_content(made) == plain_export

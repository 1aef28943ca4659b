"""Reminders, received documents, copies for demandes, deletion and orphan cleanup."""

import hashlib
import io
import os
import time
from datetime import date

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.urls import reverse

from identity.models import Notification, Space
from identity.selectors import space_personal_for
from locker import tasks, vault
from locker.inspection import inspect_upload
from locker.models import Document, SpaceLocker
from locker.services import document_copy, document_delete, document_receive, document_upload
from tests.locker import corpus

pytestmark = pytest.mark.django_db


def _upload(space, name="piece.pdf", **fields):
    data = corpus.save(corpus.new_pdf())
    return document_upload(space=space, fileobj=io.BytesIO(data), name=name, **fields).document


def _reminders():
    return list(
        Notification.objects.filter(subject__contains="va expirer").values_list(
            "recipient", flat=True
        )
    )


def test_expiry_reminder_is_sent_once_30_days_before(owner, django_capture_on_commit_callbacks):
    space = space_personal_for(user=owner)
    with time_machine.travel(date(2026, 1, 1)):
        _upload(space, title="Carte d'identité", expires_on=date(2026, 3, 15))
        tasks.expiry_reminders()
        assert _reminders() == []

    with time_machine.travel(date(2026, 2, 13)):  # 30 days before
        tasks.expiry_reminders()
        tasks.expiry_reminders()  # a second run (or a concurrent one) sends nothing more

    assert _reminders() == ["marie@example.fr"]
    body = Notification.objects.get().body_text
    assert "« Carte d'identité »" in body
    assert "15/03/2026" in body
    assert "/porte-documents/" in body


def test_a_new_expiry_date_gets_its_own_reminder(owner_client, owner):
    space = space_personal_for(user=owner)
    with time_machine.travel(date(2026, 2, 20)):
        document = _upload(space, expires_on=date(2026, 3, 1))
        tasks.expiry_reminders()
        owner_client.post(
            reverse("locker:edit", args=[document.pk]),
            {"title": document.title, "kind": "identity", "expires_on": "2026-03-10"},
        )
        tasks.expiry_reminders()
        tasks.expiry_reminders()
    assert len(_reminders()) == 2


def test_expired_documents_get_no_reminder(owner):
    space = space_personal_for(user=owner)
    with time_machine.travel(date(2026, 5, 1)):
        _upload(space, expires_on=date(2026, 4, 30))
        assert tasks.expiry_reminders() == 0


def test_received_document_lands_marked_with_its_demande(owner_client, owner):
    space = space_personal_for(user=owner)
    # A service's decision may be up to 5 MiB (demande limit), over the 4 MiB locker limit.
    decision = inspect_upload(
        io.BytesIO(corpus.pdf_of_size(4 * 1024 * 1024 + 10)), name="decision.pdf", context="demande"
    )
    outcome = document_receive(
        space=space, accepted=decision, origin_label="Aide au logement n° AB12-CD34"
    )

    assert outcome.accepted
    document = outcome.document
    assert (document.origin, document.kind) == ("received", "decision")
    page = owner_client.get(reverse("locker:list")).content.decode()
    assert "Reçu de la démarche Aide au logement n° AB12-CD34" in page
    assert SpaceLocker.objects.get().used_bytes == document.size


def test_a_copy_for_a_demande_survives_the_document_deletion(
    owner, django_capture_on_commit_callbacks
):
    space = space_personal_for(user=owner)
    document = _upload(space, name="rib.pdf")
    copy = document_copy(document=document)

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document)

    assert not Document.objects.exists()
    assert copy.file_name == "rib.pdf"
    assert copy.content.startswith(b"%PDF")
    assert hashlib.sha256(copy.content).hexdigest() == copy.sha256


def _stored(key: str) -> bool:
    return vault.stored(key)


def test_deleting_a_space_removes_its_stored_documents(
    owner, make_user, django_capture_on_commit_callbacks
):
    space = space_personal_for(user=owner)
    mine = [_upload(space, name="a.pdf"), _upload(space, name="b.pdf")]
    other = _upload(space_personal_for(user=make_user("b@example.fr")), name="c.pdf")
    assert all(_stored(d.storage_key) for d in [*mine, other])

    with django_capture_on_commit_callbacks(execute=True):
        Space.objects.filter(pk=space.pk).delete()

    assert not any(_stored(d.storage_key) for d in mine)
    assert _stored(other.storage_key)


def test_orphan_cleanup_removes_only_old_unreferenced_objects(owner):
    space = space_personal_for(user=owner)
    kept = _upload(space)
    storage = storages[vault.ALIAS]
    old_orphan = storage.save(f"locker/{space.pk}/deadbeef", ContentFile(b"GLK1 crashed upload"))
    fresh_orphan = storage.save(f"locker/{space.pk}/inflight", ContentFile(b"GLK1 in flight"))
    on_file_system = isinstance(storage, FileSystemStorage)
    if on_file_system:
        two_days_ago = time.time() - 2 * 86400
        os.utime(storage.path(old_orphan), (two_days_ago, two_days_ago))

    removed = tasks.orphan_cleanup()

    assert _stored(kept.storage_key)
    assert _stored(fresh_orphan)
    if on_file_system:
        assert removed == 1
        assert not _stored(old_orphan)
    # On S3 the object dates are the server's: nothing is old enough yet to go.


def test_seed_demo_fills_the_demo_locker_once():
    from identity.models import User

    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(email="usager@guichet.test")
    documents = Document.objects.filter(space=space_personal_for(user=user))
    first = documents.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert documents.count() == first
    assert documents.filter(origin="uploaded").count() == 4
    # the locker demo's decision, plus what the instruction demo's instructors sent
    assert documents.filter(origin="received").count() >= 1

"""Encryption at rest: the storage alone (file system or S3) never shows a document."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from identity.selectors import space_personal_for
from locker.models import Document, SpaceLocker
from locker.services import document_read, document_upload
from tests.locker import corpus
from tests.support.s3 import BUCKET, LocalS3

pytestmark = pytest.mark.django_db
SECRET = "IBAN FR76 3000 6000 0112 3456 7890 189"


def _secret_pdf() -> bytes:
    pdf = corpus.new_pdf()
    pdf.pages[0].obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 700 Td ({SECRET}) Tj ET".encode())
    return corpus.save(pdf, compress_streams=False)


@pytest.fixture
def fs_private(settings, tmp_path):
    """The file-system private storage, whatever the environment configures."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "config.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private-fs"},
        },
    }
    return tmp_path / "private-fs"


def test_file_system_object_is_not_readable_without_the_keys(owner, fs_private):
    space = space_personal_for(user=owner)
    outcome = document_upload(space=space, fileobj=io.BytesIO(_secret_pdf()), name="rib.pdf")
    assert SECRET.encode() in document_read(document=outcome.document)

    raw = (fs_private / outcome.document.storage_key).read_bytes()

    assert SECRET.encode() not in raw
    assert b"%PDF" not in raw
    assert bytes(SpaceLocker.objects.get().wrapped_key) not in raw


@pytest.fixture
def s3_private(settings):
    local = LocalS3().start()
    settings.STORAGES = {**settings.STORAGES, "private": local.private_setting()}
    storage = local.private_storage()
    yield storage
    local.stop()


def test_s3_object_is_not_readable_without_the_keys(owner_client, owner, s3_private):
    response = owner_client.post(
        reverse("locker:upload"),
        {"files": [_upload("rib.pdf", _secret_pdf())], "kind": "bank_details"},
    )
    assert response.status_code == 302
    document = Document.objects.get()

    client = s3_private.connection.meta.client
    raw = client.get_object(Bucket=BUCKET, Key=f"private/{document.storage_key}")["Body"].read()

    assert SECRET.encode() not in raw
    download = owner_client.get(reverse("locker:download", args=[document.pk]))
    assert SECRET.encode() in download.content


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_key_rotation_rewraps_space_keys_without_touching_files(
    owner, make_user, settings, fs_private
):
    spaces = [space_personal_for(user=owner), space_personal_for(user=make_user("b@example.fr"))]
    documents = [
        document_upload(space=s, fileobj=io.BytesIO(_secret_pdf()), name="rib.pdf").document
        for s in spaces
    ]
    location = fs_private
    blobs_before = [(location / d.storage_key).read_bytes() for d in documents]
    old_key = settings.GUICHET_LOCKER_MASTER_KEY
    wrapped_before = {lk.pk: bytes(lk.wrapped_key) for lk in SpaceLocker.objects.all()}

    settings.GUICHET_LOCKER_MASTER_KEY = "bmV3LW1hc3Rlci1rZXktZm9yLXJvdGF0aW9uLXRlc3Q="
    settings.GUICHET_LOCKER_OLD_MASTER_KEYS = [old_key]
    out = io.StringIO()
    call_command("locker_rotate_master_key", stdout=out)

    assert "2 data key(s) re-wrapped" in out.getvalue()
    for locker in SpaceLocker.objects.all():
        assert bytes(locker.wrapped_key) != wrapped_before[locker.pk]
    assert [(location / d.storage_key).read_bytes() for d in documents] == blobs_before
    settings.GUICHET_LOCKER_OLD_MASTER_KEYS = []  # the old key can now be retired
    for document in documents:
        assert SECRET.encode() in document_read(document=document)
    out = io.StringIO()
    call_command("locker_rotate_master_key", stdout=out)
    assert "0 data key(s)" in out.getvalue()


def test_without_the_master_key_the_database_and_storage_are_not_enough(owner, settings):
    from cryptography.exceptions import InvalidTag

    space = space_personal_for(user=owner)
    document = document_upload(
        space=space, fileobj=io.BytesIO(_secret_pdf()), name="r.pdf"
    ).document

    settings.GUICHET_LOCKER_MASTER_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMzI="
    settings.GUICHET_LOCKER_OLD_MASTER_KEYS = []
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises((ImproperlyConfigured, InvalidTag)):
        document_read(document=document)

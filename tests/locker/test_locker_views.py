"""The porte-documents through its pages, as its owner and as anyone else."""

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from identity.selectors import space_personal_for
from locker import vault
from locker.models import Document, DocumentChange, SpaceLocker
from tests.locker import corpus

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def pdf(text: str = "Page") -> bytes:
    pdf_ = corpus.new_pdf()
    pdf_.Root.Info = pdf_.make_indirect(corpus.Dictionary(Title=corpus.String(text)))
    return corpus.save(pdf_)


def add(client, *files, **fields):
    data = {"kind": "tax_notice", "title": "", "expires_on": "", **fields, "files": list(files)}
    return client.post(reverse("locker:upload"), data)


def stored(key: str) -> bool:
    return vault.stored(key)


def test_empty_locker_shows_usage_and_how_to_start(owner_client):
    response = owner_client.get(reverse("locker:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "0\u00a0o utilisés sur 235\u00a0Mo" in html
    assert "Votre porte-documents est vide" in html


def test_upload_then_list_grouped_by_type_with_usage(owner_client, owner):
    response = add(
        owner_client, upload("avis.pdf", pdf()), title="Avis d'impôt 2025", expires_on="2030-01-31"
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.space == space_personal_for(user=owner)
    assert (document.title, document.kind, document.expires_on) == (
        "Avis d'impôt 2025",
        "tax_notice",
        date(2030, 1, 31),
    )
    assert document.storage_key not in {"avis.pdf"}
    assert "avis" not in document.storage_key
    page = owner_client.get(reverse("locker:list")).content.decode()
    assert "Avis d&#x27;impôt 2025" in page
    assert "Avis d&#x27;imposition" in page  # the group
    assert f'value="{document.size}"' in page  # usage meter
    assert SpaceLocker.objects.get().used_bytes == document.size


def test_each_refused_file_gets_its_reason_and_nothing_is_lost(owner_client):
    response = add(
        owner_client,
        upload("bulletin.pdf", pdf()),
        upload("protege.pdf", corpus.pdf_encrypted(user="1234")),
        upload("photo.png", corpus.image_bytes(corpus.gradient(), "JPEG")),
        kind="payslip",
        expires_on="2031-05-01",
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "2 fichiers n'ont pas été ajoutés" in html
    assert "protege.pdf" in html
    assert "protégé par un mot de passe" in html
    assert "photo.png" in html
    assert "ne correspond pas à son contenu" in html
    assert "bulletin.pdf" in html  # reported as added
    assert '<option value="payslip" selected>' in html  # answers kept
    assert 'value="2031-05-01"' in html
    assert Document.objects.get().file_name == "bulletin.pdf"


def test_exactly_4_mib_accepted_one_more_byte_refused(owner_client):
    assert add(owner_client, upload("limite.png", corpus.png_of_size(4 * MIB))).status_code == 302

    response = add(owner_client, upload("trop.png", corpus.png_of_size(4 * MIB + 1)))

    assert response.status_code == 422
    assert "dépasse la taille maximale de 4\u00a0Mo" in response.content.decode()
    assert Document.objects.count() == 1


def test_rename_retype_and_set_expiry(owner_client):
    add(owner_client, upload("scan.pdf", pdf()))
    document = Document.objects.get()

    response = owner_client.post(
        reverse("locker:edit", args=[document.pk]),
        {"title": "Carte d'identité", "kind": "identity", "expires_on": "2032-03-15"},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.kind, document.expires_on) == (
        "Carte d'identité",
        "identity",
        date(2032, 3, 15),
    )
    assert list(document.changes.values_list("action", flat=True)) == ["added", "edited"]


def test_replace_keeps_the_document_and_records_the_change(
    owner_client, django_capture_on_commit_callbacks
):
    add(owner_client, upload("ancien.pdf", pdf("ancien")))
    document = Document.objects.get()
    old_key, old_sha = document.storage_key, document.sha256
    new = corpus.image_bytes(corpus.gradient(), "PNG")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("locker:replace", args=[document.pk]), {"file": upload("nouveau.png", new)}
        )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file_name == "nouveau.png"
    assert document.mime == "image/png"
    assert document.sha256 != old_sha
    assert stored(document.storage_key)
    assert not stored(old_key)
    change = document.changes.last()
    assert (change.action, change.file_name) == (DocumentChange.Action.REPLACED, "nouveau.png")
    assert SpaceLocker.objects.get().used_bytes == document.size


def test_refused_replacement_keeps_the_old_file(owner_client):
    add(owner_client, upload("bon.pdf", pdf()))
    document = Document.objects.get()

    response = owner_client.post(
        reverse("locker:replace", args=[document.pk]),
        {"file": upload("casse.pdf", pdf()[:300])},
    )

    assert response.status_code == 422
    assert "abîmé ou incomplet" in response.content.decode()
    assert Document.objects.get().file_name == "bon.pdf"


def test_delete_asks_for_confirmation_then_removes_row_bytes_and_usage(
    owner_client, django_capture_on_commit_callbacks
):
    add(owner_client, upload("a-supprimer.pdf", pdf()))
    document = Document.objects.get()
    assert stored(document.storage_key)

    confirm = owner_client.get(reverse("locker:delete", args=[document.pk]))
    assert confirm.status_code == 200
    assert "Oui, supprimer" in confirm.content.decode()
    assert Document.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("locker:delete", args=[document.pk]))

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not stored(document.storage_key)
    assert SpaceLocker.objects.get().used_bytes == 0


def test_download_is_the_inspected_file_as_an_attachment(owner_client):
    add(owner_client, upload("../Relevé d'identité.pdf", corpus.pdf_with(corpus._js_open_action)))
    document = Document.objects.get()

    response = owner_client.get(reverse("locker:download", args=[document.pk]))

    assert response.status_code == 200
    body = response.content
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert b"app.alert" not in body
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Relev%C3%A9%20d%27identit%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_download_all_is_a_streamed_zip_of_every_document(owner_client):
    add(owner_client, upload("a.pdf", pdf("a")), upload("a.PDF", pdf("b")), kind="other")
    add(owner_client, upload("photo.png", corpus.image_bytes(corpus.gradient(), "PNG")))

    response = owner_client.get(reverse("locker:download_all"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "Autre/a (2).pdf",
        "Autre/a.pdf",
        "Avis d'imposition/photo.png",
    ]
    by_name = {d.file_name: d for d in Document.objects.all()}
    data = archive.read("Avis d'imposition/photo.png")
    assert hashlib.sha256(data).hexdigest() == by_name["photo.png"].sha256


def _document_urls(document):
    return [
        ("get", reverse("locker:edit", args=[document.pk])),
        ("post", reverse("locker:edit", args=[document.pk])),
        ("get", reverse("locker:replace", args=[document.pk])),
        ("post", reverse("locker:replace", args=[document.pk])),
        ("get", reverse("locker:delete", args=[document.pk])),
        ("post", reverse("locker:delete", args=[document.pk])),
        ("get", reverse("locker:download", args=[document.pk])),
    ]


def test_another_space_gets_404_on_every_document_url(owner_client, client, make_user):
    add(owner_client, upload("secret.pdf", pdf()), title="Secret")
    document = Document.objects.get()
    intruder = make_user("intrus@example.fr")
    client.force_login(intruder)

    for method, url in _document_urls(document):
        data = {"title": "pirate", "kind": "other", "file": upload("x.pdf", pdf())}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, (method, url)

    document.refresh_from_db()
    assert document.title == "Secret"
    listing = client.get(reverse("locker:list")).content.decode()
    assert "Secret" not in listing
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(reverse("locker:download_all")).streaming_content))
    )
    assert archive.namelist() == []


def test_anonymous_visitor_is_sent_to_login_and_sees_nothing(owner_client, client):
    add(owner_client, upload("secret.pdf", pdf()))
    document = Document.objects.get()
    client.logout()

    urls = [
        *_document_urls(document),
        ("get", reverse("locker:list")),
        ("get", reverse("locker:upload")),
        ("get", reverse("locker:download_all")),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
    assert Document.objects.count() == 1

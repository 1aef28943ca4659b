"""The upload cap: an oversize file never sits whole in memory or on disk."""

import io

import pytest
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from django.urls import reverse

from locker.inspection.uploads import CappedUploadHandler, cap_uploads
from locker.models import Document

MIB = 1024 * 1024


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "frontiere"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="gros.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + b"%PDF-1.7\n"
        + b"0" * (size - 9)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_only_limit_plus_one_bytes_of_a_file_are_kept():
    body, content_type = _multipart(20 * MIB)
    request = RequestFactory().post("/", data=body, content_type=content_type)
    cap_uploads(request, context="locker")
    handlers = request.upload_handlers
    assert isinstance(handlers[0], CappedUploadHandler)

    parser = MultiPartParser(request.META, io.BytesIO(body), handlers, "utf-8")
    _post, files = parser.parse()

    kept = files["files"]
    assert kept.size == 4 * MIB + 1
    assert kept.temporary_file_path()  # on disk, not in memory
    kept.close()


@pytest.mark.django_db
def test_oversize_upload_through_the_view_is_refused_with_the_size_message(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(reverse("locker:upload"))
    token = page.cookies["csrftoken"].value

    body, content_type = _multipart(12 * MIB)
    body = body.replace(
        b"--frontiere--",
        b'--frontiere\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b'--frontiere\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + token.encode()
        + b"\r\n--frontiere--",
    )
    response = client.generic("POST", reverse("locker:upload"), body, content_type=content_type)

    assert response.status_code == 422
    assert "dépasse la taille maximale de 4\u00a0Mo" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_csrf_is_still_checked_on_capped_views(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(reverse("locker:upload"), {"kind": "other"})

    assert response.status_code == 403

"""Deleting an account: the ZIP is offered first, then the porte-documents is gone from
storage (not only its rows); filed demandes stay with the service, detached."""

from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse

from identity.models import User
from identity.selectors import space_personal_for
from identity.services.accounts import account_delete
from locker import vault
from locker.models import Document
from locker.services import document_upload
from tests.support.client import page_text
from tests.support.files import pdf_bytes

pytestmark = pytest.mark.django_db


def test_account_deletion_offers_the_zip_then_removes_the_stored_documents(client):
    user = User.objects.create_user("partant@example.fr", "x")
    document = document_upload(
        space=space_personal_for(user=user), fileobj=BytesIO(pdf_bytes()), name="avis.pdf"
    ).document
    key = document.storage_key
    assert vault.stored(key)

    client.force_login(user)
    assert client.get(reverse("identity:delete_account")).status_code == 302  # password first
    client.post(reverse("account_reauthenticate"), {"password": "x"})
    body = page_text(client.get(reverse("identity:delete_account")))
    assert "Télécharger tous mes documents (ZIP)" in body
    assert reverse("locker:download_all") in body

    with TestCase.captureOnCommitCallbacks(execute=True):
        account_delete(user=user)
    assert not Document.objects.exists()
    assert not vault.stored(key)

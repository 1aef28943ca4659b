"""Help-centre documents (Wagtail): listed in the CMS admin, served to the public by
Wagtail's serve view (collection privacy applies) and always as attachments."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.support.client import force_app_login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _document(collection=None):
    collection = collection or Collection.get_first_root_node()
    return get_document_model().objects.create(
        title="Formulaire de demande",
        file=ContentFile(PDF, name="formulaire.pdf"),
        collection=collection,
    )


def test_the_documents_admin_lists_an_uploaded_document(client):
    _document()
    force_app_login(client, get_user_model().objects.create_superuser("admin@example.fr", "x"))
    response = client.get(reverse("wagtaildocs:index"))
    assert response.status_code == 200
    assert "Formulaire de demande" in response.content.decode()


def test_a_document_is_downloaded_never_displayed():
    response = Client().get(_document().url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == PDF


def test_a_document_of_a_private_collection_asks_for_the_portal_login():
    private = Collection.get_first_root_node().add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    response = Client().get(_document(private).url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

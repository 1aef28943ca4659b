import pytest
from django.urls import reverse

from identity.models import User
from identity.selectors import space_personal_for
from locker.services import document_upload
from tests.locker import corpus
from tests.support.client import force_app_login


@pytest.mark.django_db
def test_admin_lists_document_metadata(client):
    import io

    admin = User.objects.create_superuser("admin@example.fr", "Mot-de-passe-solide-2026")
    outcome = document_upload(
        space=space_personal_for(user=admin),
        fileobj=io.BytesIO(corpus.save(corpus.new_pdf())),
        name="avis.pdf",
        title="Avis",
    )
    force_app_login(client, admin)

    listing = client.get(reverse("admin:locker_document_changelist"))
    detail = client.get(reverse("admin:locker_document_change", args=[outcome.document.pk]))
    usage = client.get(reverse("admin:locker_spacelocker_changelist"))

    assert listing.status_code == detail.status_code == usage.status_code == 200
    assert "Avis" in listing.content.decode()
    assert "wrapped_key" not in detail.content.decode()

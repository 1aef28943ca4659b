"""The administrators' pages (/administration/): the démarches they administer, and each
démarche's tokens: listed with their last use, created (the secret shown once), revoked.
A staff area: app or card login, 404 for anyone who administers nothing."""

import pytest
from django.utils import timezone

from api.models import ApiToken, token_hash
from tests.support.client import page_text
from tests.support.instruction import login

pytestmark = pytest.mark.django_db

PAGE = "/administration/demarches/aide-chauffage/jetons/"


def _form(**overrides):
    day = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    return {"name": "Logiciel métier", "procedures": [], "expires_on": day, **overrides}


def test_create_list_and_revoke(demarche_admin, demo_procedures):
    client = login(demarche_admin)
    index = page_text(client.get("/administration/"))
    assert "Aide au chauffage" in index or demo_procedures["aide-chauffage"].title in index

    heating = demo_procedures["aide-chauffage"]
    response = client.post(PAGE, _form(procedures=[heating.pk], can_instruct="on"))
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("gch_")
    assert secret in page_text(response)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(secret)
    assert token.can_instruct
    assert token.created_by == demarche_admin

    listed = page_text(client.get(PAGE))
    assert secret not in listed  # shown once
    assert token.hint in listed
    assert "Jamais" in listed
    assert "Lecture et instruction" in listed

    revoked = client.post(f"{PAGE}{token.pk}/revoquer/")
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/procedures/", **auth).status_code == 401


def test_the_area_is_for_administrators(instructor, colleague, demo_procedures, demarche_admin):
    """Bruno instructs the same service but administers nothing: 404 everywhere."""
    client = login(colleague)
    assert client.get("/administration/").status_code == 404
    assert client.get(PAGE).status_code == 404
    # Alice administers the heating aid but not the professional declaration.
    alice = login(demarche_admin)
    assert alice.get("/administration/demarches/declaration-activite/jetons/").status_code == 404


def test_a_session_without_the_app_is_sent_to_the_staff_login_page(demarche_admin, client):
    client.force_login(demarche_admin)  # a login with an emailed code, not the app
    assert client.get(PAGE).status_code == 403


def test_a_token_for_a_demarche_not_administered_is_refused(demarche_admin, demo_procedures):
    client = login(demarche_admin)
    other = demo_procedures["declaration-activite"]
    response = client.post(PAGE, _form(procedures=[other.pk]))
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_instruct_token_needs_the_creator_to_instruct(demarche_admin, demo_procedures):
    demo_procedures["aide-chauffage"].service.instructors.remove(demarche_admin)
    demo_procedures["aide-chauffage"].administrators.add(demarche_admin)
    client = login(demarche_admin)
    heating = demo_procedures["aide-chauffage"]
    response = client.post(PAGE, _form(procedures=[heating.pk], can_instruct="on"))
    assert response.status_code == 400
    assert "instructeur du service" in page_text(response)
    assert not ApiToken.objects.exists()


def test_docs_page_and_schema(db, client):
    docs = client.get("/api/")
    assert docs.status_code == 200
    text = page_text(docs)
    assert "/api/v1/cases/{number}/decide/" in text
    assert "cdn" not in text.lower()
    assert "script-src" in docs["Content-Security-Policy"]
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert b"/api/v1/procedures/{slug}/cases/" in schema.content


def test_django_admin_shows_tokens_read_only(make_token, django_user_model):
    token, secret = make_token("aide-chauffage")
    superuser = django_user_model.objects.create_superuser("root@guichet.test", "x" * 20)
    client = login(superuser)
    listing = client.get("/django-admin/api/apitoken/")
    assert listing.status_code == 200
    assert token.hint in page_text(listing)
    change = client.get(f"/django-admin/api/apitoken/{token.pk}/change/")
    assert change.status_code == 200
    assert token.key_hash in page_text(change)
    assert secret not in page_text(change)
    assert 'name="key_hash"' not in page_text(change)  # read-only
    assert client.get("/django-admin/api/apitoken/add/").status_code == 403


@pytest.mark.services("java")
def test_pages_are_valid_html(demarche_admin, demo_procedures, make_token, client):
    """RGAA 8.2: the Nu HTML Checker on the administration pages and the docs page."""
    from tests.support.html_check import vnu_errors

    make_token("aide-chauffage")
    staff = login(demarche_admin)
    heating = demo_procedures["aide-chauffage"]
    created = staff.post(PAGE, _form(procedures=[heating.pk]))
    refused = staff.post(PAGE, _form(name=""))
    pages = {
        "/administration/": staff.get("/administration/"),
        PAGE: staff.get(PAGE),
        f"{PAGE} (created)": created,
        f"{PAGE} (errors)": refused,
        "/api/": client.get("/api/"),
    }
    assert refused.status_code == 400
    assert vnu_errors({name: r.content.decode() for name, r in pages.items()}) == {
        name: [] for name in pages
    }

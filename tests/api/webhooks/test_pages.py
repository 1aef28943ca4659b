"""The démarche administrator's webhook pages (ADR 0501)."""

import re

import pytest
from django.urls import reverse
from standardwebhooks import Webhook

from api.webhooks import services
from api.webhooks.models import Delivery, Endpoint
from identity.models import User
from tests.support.client import page_text
from tests.support.factories import UserFactory, demo_procedure
from tests.support.instruction import login

pytestmark = pytest.mark.django_db


def url(name, procedure, **kwargs):
    return reverse(f"api:webhooks:{name}", kwargs={"slug": procedure.slug, **kwargs})


@pytest.fixture
def admin_client(administrator):
    return login(administrator)


def test_creating_an_endpoint_shows_its_secret_once(admin_client, procedure, receiver):
    response = admin_client.post(
        url("create", procedure),
        {"url": receiver.url(), "description": "Logiciel métier", "events": ["demande.submitted"]},
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get(procedure=procedure)
    assert endpoint.events == ["demande.submitted"]
    assert endpoint.secret in page_text(response)
    assert "no-store" in response["Cache-Control"]

    listing = admin_client.get(url("list", procedure))
    assert listing.status_code == 200
    assert receiver.url() in page_text(listing)
    assert endpoint.secret not in page_text(listing)
    edit = admin_client.get(url("edit", procedure, pk=endpoint.pk))
    assert endpoint.secret not in page_text(edit)


def test_an_address_must_be_https_in_production(admin_client, procedure, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    response = admin_client.post(
        url("create", procedure), {"url": "http://exemple.fr/hooks", "events": ["avis.answered"]}
    )
    assert "commence par https://" in page_text(response)
    assert not Endpoint.objects.exists()


def test_the_test_event_button_sends_a_signed_event_and_logs_it(
    admin_client, procedure, endpoint, receiver
):
    response = admin_client.post(url("test", procedure, pk=endpoint.pk))

    assert response.status_code == 302
    assert response["Location"] == url("log", procedure, pk=endpoint.pk)
    [request] = receiver.requests
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "webhook.test"
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == Delivery.Status.DELIVERED

    log = page_text(admin_client.get(response["Location"]))
    assert delivery.message_id in log
    assert re.search(r"<td>\s*200", log)


def test_edit_disable_enable_and_delete(admin_client, procedure, endpoint):
    admin_client.post(
        url("edit", procedure, pk=endpoint.pk),
        {"events": ["avis.answered", "demande.replied"], "description": "ERP"},
    )
    endpoint.refresh_from_db()
    assert endpoint.events == ["avis.answered", "demande.replied"]

    admin_client.post(url("toggle", procedure, pk=endpoint.pk))
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    admin_client.post(url("toggle", procedure, pk=endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.enabled

    assert admin_client.get(url("delete", procedure, pk=endpoint.pk)).status_code == 200
    admin_client.post(url("delete", procedure, pk=endpoint.pk))
    assert not Endpoint.objects.exists()


@pytest.fixture
def other_administrator(db):
    """The administrator of another démarche."""
    user = UserFactory(email="admin.autre@eco.example")
    demo_procedure("changement-adresse").administrators.add(user)
    return user


def test_another_demarches_administrator_gets_404_everywhere(
    procedure, endpoint, other_administrator, receiver
):
    client = login(other_administrator)
    pk = endpoint.pk
    for name, method, kwargs in [
        ("list", "get", {}),
        ("create", "post", {}),
        ("edit", "post", {"pk": pk}),
        ("toggle", "post", {"pk": pk}),
        ("delete", "post", {"pk": pk}),
        ("test", "post", {"pk": pk}),
        ("log", "get", {"pk": pk}),
    ]:
        response = getattr(client, method)(
            url(name, procedure, **kwargs),
            {"url": "https://exemple.fr/", "events": ["avis.answered"]},
        )
        assert response.status_code == 404, name
    assert Endpoint.objects.get().enabled
    assert Endpoint.objects.count() == 1
    assert receiver.requests == []


def test_someone_administering_nothing_gets_404(procedure, endpoint):
    client = login(UserFactory())
    assert client.get(url("list", procedure)).status_code == 404


def test_the_pages_need_a_login_with_an_authenticator_app(procedure, administrator, client):
    response = client.get(url("list", procedure))
    assert response.status_code == 302
    client.force_login(administrator)  # a session without the app's second factor
    assert client.get(url("list", procedure)).status_code == 403


def test_the_django_admin_shows_every_attempt_and_never_the_secret(endpoint, receiver):
    receiver.answers = [503]
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)
    superuser = User.objects.create_superuser("root@departement.example", "x")
    client = login(superuser)

    page = page_text(client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])))
    assert "503" in page
    assert page_text(client.get(reverse("admin:webhooks_delivery_changelist"))).count(
        str(delivery.pk)
    )
    endpoint_page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint_page.status_code == 200
    assert endpoint.secret not in page_text(endpoint_page)

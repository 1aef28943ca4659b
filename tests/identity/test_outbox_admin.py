"""The outbox admin never shows a secret: login codes, reset, activation and tracking links
stay in the message sent, not on the operators' screens (docs/adr/0303)."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.notifications import send_email_code
from identity.models import Notification, User
from tests.identity.helpers import (
    altcha_payload,
    code_in,
    last_message,
    link_in,
    login_password,
    make_active_user,
    path_of,
    signup,
    text,
)
from tests.support.client import force_app_login

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"


@pytest.fixture
def admin_client():
    client = Client()
    force_app_login(client, User.objects.create_superuser("admin@example.fr", "x"))
    return client


def _secrets_in_the_outbox() -> list[str]:
    """A login code, a reset link, an activation link and a confirmation code by subject,
    each produced by the real journeys."""
    make_active_user(EMAIL)
    login_password(Client(), EMAIL)
    login_code = code_in(last_message(EMAIL))
    Client().post(
        reverse("account_reset_password"),
        {"email": EMAIL, "contact": EMAIL, "altcha": altcha_payload()},
    )
    reset = path_of(link_in(last_message(EMAIL), "/compte/password/reset/key/"))
    signup(Client(), "nouveau@example.fr")
    activation = path_of(link_in(last_message("nouveau@example.fr"), "/compte/confirm-email/"))
    send_email_code(None, email="suivi@example.fr", code="482913")
    return [login_code, reset, activation, "482913"]


def test_no_code_or_link_is_readable_in_the_outbox_admin(admin_client):
    secrets = _secrets_in_the_outbox()
    stored = " ".join(n.subject + n.body_text for n in Notification.objects.all())
    assert all(secret in stored for secret in secrets)  # the messages do carry them

    pages = [admin_client.get(reverse("admin:identity_notification_changelist"))]
    for notification in Notification.objects.all():
        url = reverse("admin:identity_notification_change", args=[notification.pk])
        pages.append(admin_client.get(url))
    for page in pages:
        assert page.status_code == 200
        body = text(page)
        for secret in secrets:
            assert secret not in body
    assert "[masqué]" in text(pages[0])  # the confirmation code's subject, redacted
    assert "Masqué : un message peut contenir un code" in text(pages[1])

"""The whole journey on the real services: PostgreSQL, Redis, a Celery worker, SMTP.

signup → activation email delivered by the worker through aiosmtpd → link followed →
login → the emailed code read from the delivered message → logged in.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.identity.helpers import PASSWORD, altcha_payload, path_of

pytestmark = [
    pytest.mark.services("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "integration@example.fr"


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_signup_activation_and_code_login_through_the_real_smtp_server(celery_worker, smtp_server):
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "email2": EMAIL,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "terms": "on",
            "altcha": altcha_payload(),
        },
    )
    assert response.status_code == 302

    activation = smtp_server.wait_for(
        lambda m: m["To"] == EMAIL and "/compte/confirm-email/" in _body(m)
    )
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", _body(activation)).group(0)
    assert client.post(path_of(link)).status_code == 302

    response = client.post(
        reverse("account_login"),
        {"login": EMAIL, "password": PASSWORD, "altcha": altcha_payload()},
    )
    assert response["Location"] == reverse("identity:second_factor")
    message = smtp_server.wait_for(
        lambda m: m["To"] == EMAIL and "code de connexion" in m["Subject"].lower()
    )
    code = re.search(r"\b(\d{6})\b", _body(message)).group(1)
    response = client.post(reverse("identity:second_factor"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("identity:security")).status_code == 200

"""Known and unknown identifiers get the same answer: same status, same redirect, same page.

Only per-request tokens differ (CSRF token, CSP nonce, the ALTCHA challenge) and the
address the person typed, which is echoed back; both are masked before comparing.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity.models import Notification, User
from identity.services import account_delete
from tests.identity.helpers import PASSWORD, altcha_payload, make_active_user, signup

pytestmark = pytest.mark.django_db

KNOWN = "connue@example.fr"
UNKNOWN = "inconnue@example.fr"

_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r'nonce="[^"]+"'), "NONCE"),
    (re.compile(r'challengejson="[^"]+"'), "CHALLENGE"),
]


def _normalise(response, typed: str) -> str:
    page = response.content.decode().replace(typed, "TYPED")
    for pattern, replacement in _VOLATILE:
        page = pattern.sub(replacement, page)
    return page


def _answer(post, typed):
    client = Client()
    response = post(client, typed)
    followed = client.get(response["Location"]) if response.status_code == 302 else response
    return (
        response.status_code,
        response.get("Location"),
        followed.status_code,
        _normalise(followed, typed),
    )


def _assert_same(post):
    make_active_user(KNOWN)
    known = _answer(post, KNOWN)
    unknown = _answer(post, UNKNOWN)
    assert known[:3] == unknown[:3]
    assert known[3] == unknown[3]


def test_login_answers_known_and_unknown_identifiers_identically():
    def post(client, email):
        return client.post(
            reverse("account_login"),
            {"login": email, "password": "Pas-Le-Bon-2026!", "altcha": altcha_payload()},
        )

    _assert_same(post)


def test_signup_answers_known_and_unknown_emails_identically():
    _assert_same(lambda client, email: signup(client, email))
    # The owner of the known address is told by email instead, with a reset link.
    notice = Notification.objects.get(recipient=KNOWN)
    assert "/compte/password/reset/" in notice.body_text


def test_signup_answers_a_recently_deleted_accounts_email_like_any_other():
    with time_machine.travel(timezone.now()) as clock:
        signup(Client(), KNOWN)
        account_delete(user=User.objects.get(email=KNOWN))
        Notification.objects.all().delete()
        clock.shift(timedelta(days=1))
        deleted = _answer(lambda client, email: signup(client, email), KNOWN)
        unknown = _answer(lambda client, email: signup(client, email), UNKNOWN)
    assert deleted[:3] == unknown[:3]
    assert deleted[3] == unknown[3]
    # The explanation goes by email to that address only.
    notice = Notification.objects.get(recipient=KNOWN)
    assert "supprimé il y a moins d'un an" in notice.body_text
    assert not User.objects.filter(email=KNOWN).exists()


def test_password_reset_answers_known_and_unknown_identifiers_identically():
    def post(client, email):
        return client.post(
            reverse("account_reset_password"),
            {"email": email, "contact": email, "altcha": altcha_payload()},
        )

    _assert_same(post)
    assert Notification.objects.filter(recipient=KNOWN).count() == 1
    assert not Notification.objects.filter(recipient=UNKNOWN).exists()


def test_new_activation_link_answers_known_and_unknown_emails_identically():
    def post(client, email):
        return client.post(
            reverse("identity:resend_activation"), {"email": email, "altcha": altcha_payload()}
        )

    signup(Client(), "attente@example.fr")
    make_active_user(KNOWN)
    pending = _answer(post, "attente@example.fr")
    known = _answer(post, KNOWN)
    unknown = _answer(post, UNKNOWN)
    assert pending[:3] == known[:3] == unknown[:3]
    assert pending[3] == known[3] == unknown[3]
    assert Notification.objects.filter(recipient="attente@example.fr").count() == 2


def test_login_of_an_unknown_identifier_with_any_password_sends_nothing():
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": UNKNOWN, "password": PASSWORD, "altcha": altcha_payload()},
    )
    assert not Notification.objects.exists()

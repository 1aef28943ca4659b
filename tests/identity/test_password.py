"""Forgotten password (email or SMS link), change of password, and the sessions they end."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity.models import Notification, SecurityEvent
from tests.identity.helpers import (
    NEW_PASSWORD,
    PASSWORD,
    altcha_payload,
    asks_for_altcha,
    last_message,
    link_in,
    login_password,
    login_with_emailed_code,
    make_active_user,
    messages_to,
    path_of,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"
MOBILE = "+33612345678"


def _logged_in(client) -> bool:
    return client.get(reverse("identity:security")).status_code == 200


def _ask_reset(client, identifier=EMAIL, contact=EMAIL, *, altcha=False, ip="127.0.0.1"):
    data = {"email": identifier, "contact": contact}
    if altcha:
        data["altcha"] = altcha_payload()
    return client.post(reverse("account_reset_password"), data, REMOTE_ADDR=ip)


def _set_new_password(client, link, password=NEW_PASSWORD):
    page = client.get(path_of(link), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path_of(link)
    return page, client.post(form_url, {"password1": password, "password2": password})


def test_reset_by_email_then_the_second_factor_is_still_asked(client):
    make_active_user(EMAIL)
    other_session = Client()
    login_with_emailed_code(other_session, EMAIL)
    assert _logged_in(other_session)

    response = _ask_reset(client)
    assert response["Location"] == reverse("account_reset_password_done")
    link = link_in(last_message(EMAIL), "/compte/password/reset/key/")
    _page, response = _set_new_password(client, link)
    assert response.status_code == 302
    assert not _logged_in(client)  # no automatic login after a reset
    assert not _logged_in(other_session)  # every other session ended

    response = login_password(client, EMAIL, NEW_PASSWORD)
    assert response["Location"] == reverse("identity:second_factor")
    assert not _logged_in(client)
    notice = [m for m in messages_to(EMAIL) if "mot de passe" in m.subject.lower()]
    assert notice, [m.subject for m in messages_to(EMAIL)]


def test_a_reset_link_works_once(client):
    make_active_user(EMAIL)
    _ask_reset(client)
    link = link_in(last_message(EMAIL), "/compte/password/reset/key/")
    _set_new_password(client, link)
    page, _response = _set_new_password(Client(), link, "Encore-Un-Autre-88!")
    assert "n'est plus valable" in text(page)
    assert login_password(Client(), EMAIL, "Encore-Un-Autre-88!").status_code == 200


def test_a_reset_link_expires_after_an_hour(client):
    make_active_user(EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        _ask_reset(client)
        link = link_in(last_message(EMAIL), "/compte/password/reset/key/")
        clock.shift(timedelta(hours=1, minutes=1))
        page, _response = _set_new_password(client, link)
        assert "n'est plus valable" in text(page)
    assert login_password(Client(), EMAIL, PASSWORD)["Location"] == reverse(
        "identity:second_factor"
    )


def test_reset_by_sms_goes_to_the_verified_mobile(client):
    user = make_active_user(EMAIL)
    user.phone, user.phone_verified_at = MOBILE, timezone.now()
    user.save()
    _ask_reset(client, contact="06 12 34 56 78")
    assert messages_to(EMAIL) == []
    sms = last_message(MOBILE, Notification.Channel.SMS)
    link = link_in(sms, "/compte/password/reset/key/")
    _page, response = _set_new_password(client, link)
    assert response.status_code == 302
    assert login_password(Client(), EMAIL, NEW_PASSWORD).status_code == 302


def test_reset_sends_nothing_when_the_contact_does_not_match(client):
    user = make_active_user(EMAIL)
    user.phone = MOBILE  # not verified: never used for a reset
    user.save()
    for contact in ["autre@example.fr", "06 12 34 56 78", "pas un contact"]:
        response = _ask_reset(client, contact=contact, altcha=True)
        assert response["Location"] == reverse("account_reset_password_done")
    assert not Notification.objects.exists()


def test_change_password_needs_the_current_one_and_ends_other_sessions(client):
    make_active_user(EMAIL)
    login_with_emailed_code(client, EMAIL)
    other_session = Client()
    login_with_emailed_code(other_session, EMAIL)
    url = reverse("account_change_password")

    response = client.post(
        url,
        {"oldpassword": "Pas-Le-Bon-2026!", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in text(response)
    assert _logged_in(other_session)

    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(other_session)
    notice = last_message(EMAIL)
    assert "mot de passe" in (notice.subject + notice.body_text).lower()


def test_change_password_applies_the_same_rules(client):
    make_active_user(EMAIL)
    login_with_emailed_code(client, EMAIL)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "faible", "password2": "faible"},
    )
    assert response.status_code == 200
    assert "une lettre majuscule" in text(response)
    assert "guichet-password-rules" in text(response)


def test_password_change_is_in_the_security_log(client):
    make_active_user(EMAIL)
    login_with_emailed_code(client, EMAIL)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()
    assert "Mot de passe modifié" in text(client.get(reverse("identity:security")))


def test_reset_needs_no_javascript_until_requests_pile_up_for_an_address():
    make_active_user(EMAIL)
    threshold = settings.GUICHET_ANTIROBOT["reset"]["identifier"]
    assert not asks_for_altcha(Client().get(reverse("account_reset_password")))
    for number in range(threshold):
        response = _ask_reset(Client(), ip=f"198.51.100.{number + 1}")
        assert response.status_code == 302
    assert len(messages_to(EMAIL)) == threshold
    # From anywhere, this address now needs the check; nothing is sent without it.
    response = _ask_reset(Client(), ip="203.0.113.7")
    assert response.status_code == 200
    assert "une vérification anti-robot est demandée" in text(response)
    assert asks_for_altcha(response)
    assert len(messages_to(EMAIL)) == threshold
    response = _ask_reset(Client(), altcha=True, ip="203.0.113.7")
    assert response.status_code == 302
    assert len(messages_to(EMAIL)) == threshold + 1

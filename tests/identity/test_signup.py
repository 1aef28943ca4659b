"""Sign up, activation link (7 days), new link (30 days), purge, deleted-email refusal."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity.models import TermsAcceptance, TermsVersion, User
from identity.services import account_delete, pending_registrations_purge
from tests.identity.helpers import (
    PASSWORD,
    activate,
    altcha_payload,
    asks_for_altcha,
    last_message,
    link_in,
    login_password,
    messages_to,
    path_of,
    signup,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"


def test_signup_sends_an_activation_link_and_the_account_waits_for_it(client):
    response = signup(client, EMAIL, newsletter="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email=EMAIL)
    assert user.newsletter_opt_in is True
    assert user.alerts_opt_in is False
    acceptance = TermsAcceptance.objects.get(user=user)
    assert acceptance.terms == TermsVersion.objects.first()
    assert acceptance.accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    # Not activated: the password alone does not open anything.
    response = login_password(client, EMAIL)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    message = last_message(EMAIL)
    assert "/compte/confirm-email/" in message.body_text
    response = activate(client, EMAIL)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_the_verification_page_says_what_to_do_next(client):
    signup(client, EMAIL)
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "7 jours" in page
    assert reverse("identity:resend_activation") in page
    assert "Vous rencontrez une difficulté ?" in page


def test_activation_link_still_works_on_day_7_and_not_on_day_8(client):
    with time_machine.travel(timezone.now()) as clock:
        signup(client, EMAIL)
        link = path_of(link_in(last_message(EMAIL), "/compte/confirm-email/"))
        clock.shift(timedelta(days=8))
        page = client.get(link)
        assert "n'est plus valable" in page.content.decode()
        assert client.post(link).status_code == 404
        assert not EmailAddress.objects.get(email=EMAIL).verified

    with time_machine.travel(timezone.now()) as clock:
        signup(client, "jeanne@example.fr")
        link = path_of(link_in(last_message("jeanne@example.fr"), "/compte/confirm-email/"))
        clock.shift(timedelta(days=6, hours=23))
        assert client.post(link).status_code == 302
        assert EmailAddress.objects.get(email="jeanne@example.fr").verified


def _resend(client, email):
    # Solved: after a few requests the form asks for it (identity.antirobot).
    return client.post(
        reverse("identity:resend_activation"), {"email": email, "altcha": altcha_payload()}
    )


def test_a_new_link_can_be_asked_for_during_30_days_then_not(client):
    with time_machine.travel(timezone.now()) as clock:
        signup(client, EMAIL)
        clock.shift(timedelta(days=20))
        response = _resend(client, EMAIL)
        assert response.status_code == 200
        assert len(messages_to(EMAIL)) == 2
        assert (
            client.post(path_of(link_in(last_message(EMAIL), "/confirm-email/"))).status_code == 302
        )

    with time_machine.travel(timezone.now()) as clock:
        signup(client, "jeanne@example.fr")
        clock.shift(timedelta(days=31))
        response = _resend(client, "jeanne@example.fr")
        assert response.status_code == 200
        assert "recommencer" in text(response)
        assert len(messages_to("jeanne@example.fr")) == 1  # refused: nothing sent
        # The password login does not send one either.
        login_password(client, "jeanne@example.fr")
        assert len(messages_to("jeanne@example.fr")) == 1


def test_pending_registrations_are_purged_after_30_days_and_can_start_again(client):
    with time_machine.travel(timezone.now()) as clock:
        signup(client, EMAIL)
        signup(client, "active@example.fr")
        activate(client, "active@example.fr")
        clock.shift(timedelta(days=29))
        assert pending_registrations_purge() == 0
        clock.shift(timedelta(days=2))
        assert pending_registrations_purge() == 1
        assert not User.objects.filter(email=EMAIL).exists()
        assert User.objects.filter(email="active@example.fr").exists()
        signup(client, EMAIL)
        assert User.objects.filter(email=EMAIL).exists()


def test_signup_refuses_missing_terms_mismatched_emails_and_weak_passwords(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "email2": "autre@example.fr",
            "password1": "motdepasse",
            "password2": "motdepasse",
            "altcha": altcha_payload(),
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "Le formulaire contient des erreurs" in page
    assert "Acceptez les conditions générales" in page
    assert "au moins 12 caractères" in page.lower() or "au moins 12" in page
    assert "une lettre majuscule" in page
    assert not User.objects.filter(email=EMAIL).exists()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Court-1!", "12"),
        ("tout-en-minuscules-2026!", "une lettre majuscule"),
        ("SansChiffreNiRien!!", "un chiffre"),
        ("SansSpecial2026abc", "un caractère spécial"),
        ("A" * 120 + "b1!-" + "x" * 10, "au plus 128"),
        ("Louise@Example.fr1", "trop semblable"),
    ],
)
def test_each_password_rule_is_enforced_by_the_server(client, password, expected):
    response = signup(client, EMAIL, password=password)
    assert response.status_code == 200
    assert expected in text(response)
    assert not User.objects.filter(email=EMAIL).exists()


def test_password_rules_are_listed_next_to_the_field_with_the_meter_script(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'class="fr-text--sm guichet-password-rules"' in page
    for rule in ["Au moins 12 caractères.", "Au plus 128 caractères.", "un chiffre"]:
        assert rule in page
    assert "guichet/js/password-rules.js" in page
    assert 'for="id_email2"' in page


def test_without_risk_signup_needs_no_javascript(client):
    page = client.get(reverse("account_signup"))
    assert not asks_for_altcha(page)
    response = signup(client, EMAIL)  # no ALTCHA solved
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=EMAIL).exists()


def _signup_data(email):
    return {
        "email": email,
        "email2": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "terms": "on",
    }


def test_after_sign_ups_from_one_ip_the_form_asks_for_a_solved_altcha(client):
    threshold = settings.GUICHET_ANTIROBOT["signup"]["ip"]
    for number in range(threshold - 1):
        signup(client, f"personne{number}@example.fr")
    assert not asks_for_altcha(client.get(reverse("account_signup")))
    signup(client, "derniere@example.fr")
    page = client.get(reverse("account_signup"))
    assert asks_for_altcha(page)
    assert "altcha/altcha.min.js" in page.content.decode()  # served from our static files
    assert "Cette vérification a besoin de JavaScript" in text(page)

    response = client.post(reverse("account_signup"), _signup_data(EMAIL))
    assert response.status_code == 200
    assert "Cochez la case « Je ne suis pas un robot »" in text(response)
    assert "ALTCHA CAPTCHA" not in text(response)
    forged = altcha_payload()[:-8] + "AAAAAAA="
    client.post(reverse("account_signup"), {**_signup_data(EMAIL), "altcha": forged})
    assert not User.objects.filter(email=EMAIL).exists()
    response = signup(client, EMAIL, altcha=True)
    assert response["Location"] == reverse("account_email_verification_sent")
    # Another IP is not concerned.
    assert not asks_for_altcha(Client().get(reverse("account_signup"), REMOTE_ADDR="203.0.113.7"))


def test_a_burst_of_sign_ups_site_wide_asks_everyone_for_altcha(client, settings):
    settings.GUICHET_ANTIROBOT = {
        **settings.GUICHET_ANTIROBOT,
        "signup": {"window": 900, "ip": 100, "site": 4},
    }
    for number in range(3):
        signup(Client(), f"personne{number}@example.fr", ip=f"198.51.100.{number + 1}")
    assert not asks_for_altcha(client.get(reverse("account_signup"), REMOTE_ADDR="203.0.113.7"))
    signup(Client(), "quatrieme@example.fr", ip="198.51.100.9")
    page = client.get(reverse("account_signup"), REMOTE_ADDR="203.0.113.7")
    assert asks_for_altcha(page)
    response = signup(client, EMAIL, ip="203.0.113.7")
    assert response.status_code == 200
    assert not User.objects.filter(email=EMAIL).exists()
    response = signup(client, EMAIL, altcha=True, ip="203.0.113.7")
    assert response["Location"] == reverse("account_email_verification_sent")


def test_a_deleted_accounts_email_is_refused_for_a_year_then_accepted(client):
    with time_machine.travel(timezone.now()) as clock:
        signup(client, EMAIL)
        account_delete(user=User.objects.get(email=EMAIL))
        clock.shift(timedelta(days=364))
        response = signup(client, "LOUISE@example.fr")
        # The screen says what it says for any address; the reason goes to the address.
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert not User.objects.filter(email__iexact=EMAIL).exists()
        notice = last_message("louise@example.fr")
        assert "supprimé il y a moins d'un an" in notice.body_text
        assert "/compte/confirm-email/" not in notice.body_text
        clock.shift(timedelta(days=2))
        response = signup(client, EMAIL)
        assert response.status_code == 302
        assert User.objects.filter(email=EMAIL).exists()
        assert "/compte/confirm-email/" in last_message(EMAIL).body_text


def test_signup_records_a_first_terms_version_when_none_is_published(client):
    TermsVersion.objects.all().delete()
    signup(client, EMAIL)
    acceptance = TermsAcceptance.objects.get(user__email=EMAIL)
    assert acceptance.terms.version == "1.0"


def test_new_activation_links_are_capped_at_exactly_the_limit_per_address(client):
    n = settings.GUICHET_RATE_LIMITS["activation_resend"]["attempts"]
    signup(client, EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        for _ in range(n):
            clock.shift(timedelta(minutes=4))  # allauth sends one link per 3 minutes
            response = _resend(client, EMAIL)
            assert "Trop de tentatives" not in text(response)
        assert len(messages_to(EMAIL)) == 1 + n
        clock.shift(timedelta(minutes=4))
        response = _resend(client, EMAIL)
        assert "Trop de tentatives" in text(response)
        assert len(messages_to(EMAIL)) == 1 + n


def test_new_activation_links_are_capped_at_exactly_the_limit_per_ip():
    n = settings.GUICHET_RATE_LIMITS["activation_resend_ip"]["attempts"]
    client = Client()
    for number in range(n):
        response = _resend(client, f"personne{number}@example.fr")
        assert "Trop de tentatives" not in text(response)
    response = _resend(client, EMAIL)
    assert "Trop de tentatives" in text(response)
    assert "Trop de tentatives" not in text(_resend(Client(REMOTE_ADDR="203.0.113.7"), EMAIL))

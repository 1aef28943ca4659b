"""Login: password, then the second-factor stage (emailed/SMS code, TOTP, recovery codes)."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from identity.models import Notification, SecurityEvent, TotpDevice
from identity.services import recovery_codes_regenerate
from identity.services.second_factor import totp_secret
from tests.identity.helpers import (
    PASSWORD,
    altcha_payload,
    asks_for_altcha,
    code_in,
    last_message,
    login_password,
    login_with_emailed_code,
    make_active_user,
    messages_to,
    submit_code,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"


def _logged_in(client) -> bool:
    return client.get(reverse("identity:security")).status_code == 200


def _resend(client):
    return client.post(reverse("identity:second_factor_resend"))


def test_password_then_emailed_code_logs_in_and_changes_the_session_id(client):
    make_active_user(EMAIL)
    client.get(reverse("account_login"))
    response = login_password(client, EMAIL)
    assert response["Location"] == reverse("identity:second_factor")
    pending_session = client.session.session_key
    message = last_message(EMAIL)
    assert message.subject.endswith("Votre code de connexion")
    assert "10 minutes" in message.body_text
    response = submit_code(client, code_in(message))
    assert response.status_code == 302
    assert client.session.session_key != pending_session
    assert _logged_in(client)
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {SecurityEvent.Kind.CODE_SENT, SecurityEvent.Kind.LOGIN} <= kinds


def test_nothing_is_reachable_between_password_and_code(client):
    make_active_user(EMAIL)
    login_password(client, EMAIL)
    response = client.get(reverse("identity:security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_pending_login_sends_back_to_login(client):
    response = client.get(reverse("identity:second_factor"))
    assert response["Location"] == reverse("account_login")


def test_wrong_password_gives_the_generic_message_and_no_code(client):
    make_active_user(EMAIL)
    response = login_password(client, EMAIL, "Pas-Le-Bon-2026!")
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in text(response)
    assert messages_to(EMAIL) == []


def test_a_code_is_valid_10_minutes(client):
    make_active_user(EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        login_password(client, EMAIL)
        code = code_in(last_message(EMAIL))
        clock.shift(timedelta(minutes=10, seconds=1))
        response = submit_code(client, code)
        assert response.status_code == 200
        assert "n'est plus valable" in text(response)
    assert not _logged_in(client)


def test_a_code_is_single_use(client):
    make_active_user(EMAIL)
    login_with_emailed_code(client, EMAIL)
    code = code_in(last_message(EMAIL))
    other = Client()
    login_password(other, EMAIL)
    # A new attempt got its own code; the old one cannot be typed again anywhere.
    response = submit_code(other, code)
    assert response.status_code == 200
    assert not _logged_in(other)


def test_second_code_after_resend_invalidates_the_first(client):
    make_active_user(EMAIL)
    login_password(client, EMAIL)
    first = code_in(last_message(EMAIL))
    response = _resend(client)
    assert response["Location"] == reverse("identity:second_factor")
    second = code_in(last_message(EMAIL))
    assert len(messages_to(EMAIL)) == 2
    if first != second:
        response = submit_code(client, first)
        assert "n'est pas le bon" in text(response) or "plus valable" in text(response)
        assert not _logged_in(client)
    submit_code(client, second)
    assert _logged_in(client)


def test_resending_is_capped_at_3_per_15_minutes(client):
    make_active_user(EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        login_password(client, EMAIL)
        for _ in range(3):
            _resend(client)
        assert len(messages_to(EMAIL)) == 4
        response = client.post(reverse("identity:second_factor_resend"), follow=True)
        assert "Trop de tentatives" in text(response)
        assert len(messages_to(EMAIL)) == 4
        clock.shift(timedelta(minutes=16))
        # The pending login itself expired meanwhile: start again, resends are allowed.
        login_password(client, EMAIL)
        _resend(client)
        assert len(messages_to(EMAIL)) == 6


def test_five_wrong_codes_void_the_code(client):
    make_active_user(EMAIL)
    login_password(client, EMAIL)
    code = code_in(last_message(EMAIL))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for attempt in range(4):
        response = submit_code(client, wrong)
        assert "n'est pas le bon" in text(response), attempt
    response = submit_code(client, wrong)
    assert "n'est plus valable" in text(response)
    response = submit_code(client, code)
    assert "n'est plus valable" in text(response)
    assert not _logged_in(client)
    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED).count()
    assert failed == 6


def test_a_code_from_another_login_attempt_is_refused(client):
    make_active_user(EMAIL)
    login_password(client, EMAIL)
    other = Client()
    login_password(other, EMAIL)
    code_for_other = code_in(last_message(EMAIL))
    response = submit_code(client, code_for_other)
    assert response.status_code == 200
    assert not _logged_in(client)
    submit_code(other, code_for_other)
    assert _logged_in(other)


def test_a_verified_mobile_receives_the_code_by_sms(client):
    user = make_active_user(EMAIL)
    user.phone = "+33612345678"
    user.phone_verified_at = timezone.now()
    user.save()
    login_password(client, EMAIL)
    assert messages_to(EMAIL) == []
    sms = last_message("+33612345678", Notification.Channel.SMS)
    assert "78" in text(client.get(reverse("identity:second_factor")))
    submit_code(client, code_in(sms))
    assert _logged_in(client)


def _enrolled(email=EMAIL):
    user = make_active_user(email)
    device = TotpDevice.objects.create(user=user, secret_encrypted="", confirmed_at=timezone.now())
    from identity.crypto import encrypt_secret

    device.secret_encrypted = encrypt_secret(pyotp.random_base32())
    device.save()
    return user, pyotp.TOTP(totp_secret(device))


def test_totp_user_logs_in_with_the_app_code_and_no_code_is_sent(client):
    _user, totp = _enrolled()
    login_password(client, EMAIL)
    assert messages_to(EMAIL) == []
    assert "application d'authentification" in text(client.get(reverse("identity:second_factor")))
    submit_code(client, totp.now())
    assert _logged_in(client)


def test_totp_code_replay_in_the_same_step_is_refused(client):
    _user, totp = _enrolled()
    with time_machine.travel(timezone.now().replace(second=5, microsecond=0)):
        login_password(client, EMAIL)
        code = totp.now()
        submit_code(client, code)
        assert _logged_in(client)
        other = Client()
        login_password(other, EMAIL)
        response = submit_code(other, code)
        assert "n'est pas le bon" in text(response)
        assert not _logged_in(other)


def test_totp_accepts_one_step_of_drift_but_not_two(client):
    _user, totp = _enrolled()
    with time_machine.travel(timezone.now().replace(second=5, microsecond=0)):
        now = timezone.now()
        login_password(client, EMAIL)
        submit_code(client, totp.at(now - timedelta(seconds=60)))
        assert not _logged_in(client)
        submit_code(client, totp.at(now - timedelta(seconds=30)))
        assert _logged_in(client)


def test_an_older_step_is_refused_after_a_newer_one_was_used(client):
    _user, totp = _enrolled()
    with time_machine.travel(timezone.now().replace(second=5, microsecond=0)):
        now = timezone.now()
        login_password(client, EMAIL)
        submit_code(client, totp.at(now + timedelta(seconds=30)))
        assert _logged_in(client)
        other = Client()
        login_password(other, EMAIL)
        submit_code(other, totp.at(now))
        assert not _logged_in(other)


def test_recovery_codes_work_once_each(client):
    user, _totp = _enrolled()
    codes = recovery_codes_regenerate(user=user)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    login_password(client, EMAIL)
    submit_code(client, codes[0].lower())
    assert _logged_in(client)
    other = Client()
    login_password(other, EMAIL)
    submit_code(other, codes[0])
    assert not _logged_in(other)
    submit_code(other, codes[1])
    assert _logged_in(other)


WRONG = "Pas-Le-Bon-2026!"
SECOND_FACTOR = reverse_lazy("identity:second_factor")


def _limit(name: str) -> int:
    return settings.GUICHET_RATE_LIMITS[name]["attempts"]


def test_login_failures_from_one_ip_block_that_address_there_at_exactly_the_limit():
    make_active_user(EMAIL)
    n = _limit("login_account")
    with time_machine.travel(timezone.now()) as clock:
        # At N: N - 1 failures, the N-th attempt is still tried.
        client = Client()
        for _ in range(n - 1):
            login_password(client, EMAIL, WRONG, altcha=True, ip="198.51.100.1")
        response = login_password(client, EMAIL, altcha=True, ip="198.51.100.1")
        assert response["Location"] == SECOND_FACTOR
        # At N + 1: N failures, the next attempt is refused, even with the right password.
        client = Client()
        for _ in range(n):
            response = login_password(client, EMAIL, WRONG, altcha=True, ip="198.51.100.2")
            assert "Trop de tentatives" not in text(response)
        response = login_password(client, EMAIL, altcha=True, ip="198.51.100.2")
        assert response.status_code == 200
        assert "Trop de tentatives. Réessayez dans 1 minute." in text(response)
        # The owner, elsewhere, is not locked out.
        response = login_password(Client(), EMAIL, altcha=True, ip="203.0.113.7")
        assert response["Location"] == SECOND_FACTOR
        # Never a permanent block.
        clock.shift(timedelta(minutes=2))
        response = login_password(client, EMAIL, altcha=True, ip="198.51.100.2")
        assert response["Location"] == SECOND_FACTOR


def test_login_failures_from_one_ip_block_it_at_exactly_the_limit():
    n = _limit("login_ip")
    make_active_user(EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        client = Client()
        for number in range(n - 1):
            login_password(client, f"inconnu{number}@example.fr", WRONG, altcha=True)
            clock.shift(timedelta(seconds=7))  # below allauth's own 10 per minute
        response = login_password(client, EMAIL, altcha=True)
        assert response["Location"] == SECOND_FACTOR  # the N-th attempt is tried
        client = Client()
        login_password(client, "inconnu-n@example.fr", WRONG, altcha=True)
        response = login_password(client, EMAIL, altcha=True)
        assert "Trop de tentatives" in text(response)
        # Another IP is not concerned.
        response = login_password(Client(), EMAIL, altcha=True, ip="203.0.113.7")
        assert response["Location"] == SECOND_FACTOR


def test_without_risk_login_needs_no_javascript(client):
    make_active_user(EMAIL)
    page = client.get(reverse("account_login"))
    assert not asks_for_altcha(page)
    response = login_password(client, EMAIL)  # no ALTCHA solved
    assert response["Location"] == SECOND_FACTOR
    submit_code(client, code_in(last_message(EMAIL)))
    assert _logged_in(client)


def test_after_failures_from_an_ip_the_form_asks_for_altcha_and_says_what_to_do():
    make_active_user(EMAIL)
    threshold = settings.GUICHET_ANTIROBOT["login"]["ip"]
    client = Client()
    for number in range(threshold - 1):
        login_password(client, f"inconnu{number}@example.fr", WRONG)
    assert not asks_for_altcha(client.get(reverse("account_login")))
    login_password(client, "encore@example.fr", WRONG)
    page = client.get(reverse("account_login"))
    assert asks_for_altcha(page)
    assert "Cette vérification a besoin de JavaScript" in text(page)  # in <noscript>
    response = login_password(client, EMAIL)
    assert response.status_code == 200
    assert "Cochez la case « Je ne suis pas un robot »" in text(response)
    assert "ALTCHA" not in text(response).replace("altcha", "")
    forged = altcha_payload()[:-8] + "AAAAAAA="
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD, "altcha": forged}
    )
    assert response.status_code == 200
    response = login_password(client, EMAIL, altcha=True)
    assert response["Location"] == SECOND_FACTOR
    # Another IP still logs in without JavaScript.
    response = login_password(Client(), "autre@example.fr", WRONG, ip="203.0.113.7")
    assert not asks_for_altcha(response)


def test_failures_against_an_address_from_many_ips_ask_for_altcha_but_never_lock_it():
    make_active_user(EMAIL)
    threshold = settings.GUICHET_ANTIROBOT["login"]["identifier"]
    for number in range(threshold):
        response = login_password(Client(), EMAIL, WRONG, ip=f"198.51.100.{number + 1}")
        assert "Le formulaire contient des erreurs" in text(response)
    # Now every attempt on this address needs the check; without it nothing is tried.
    for number in range(10):
        response = login_password(Client(), EMAIL, WRONG, ip=f"192.0.2.{number + 1}")
        assert "une vérification anti-robot est demandée" in text(response)
        assert asks_for_altcha(response)
    # The owner solves it and logs in: no block against the address itself.
    owner = Client()
    response = login_password(owner, EMAIL, ip="203.0.113.7")
    assert "une vérification anti-robot est demandée" in text(response)
    response = login_password(owner, EMAIL, altcha=True, ip="203.0.113.7")
    assert response["Location"] == SECOND_FACTOR


def test_login_codes_sent_to_an_account_are_capped_at_exactly_the_limit():
    """Each correct password sends a code (an SMS costs money): N per hour, then none."""
    make_active_user(EMAIL)
    n = _limit("code_send")
    with time_machine.travel(timezone.now()) as clock:
        for number in range(n):
            response = login_password(Client(), EMAIL, ip=f"198.51.100.{number + 1}")
            assert response["Location"] == SECOND_FACTOR
        assert len(messages_to(EMAIL)) == n
        client = Client()
        response = login_password(client, EMAIL, ip="203.0.113.7")
        assert response["Location"] == SECOND_FACTOR
        assert len(messages_to(EMAIL)) == n  # the (N+1)-th is not sent
        page = client.get(SECOND_FACTOR)
        assert "Trop de tentatives. Réessayez dans 60 minutes." in text(page)
        response = _resend(client)
        assert len(messages_to(EMAIL)) == n
        clock.shift(timedelta(minutes=61))
        login_password(client, EMAIL, ip="203.0.113.7")
        assert len(messages_to(EMAIL)) == n + 1
        submit_code(client, code_in(last_message(EMAIL)))
        assert _logged_in(client)


def test_code_checks_are_rate_limited_per_account(client):
    make_active_user(EMAIL)
    with time_machine.travel(timezone.now()) as clock:
        for _ in range(3):
            login_password(client, EMAIL)
            for _ in range(4):
                submit_code(client, "000000")
        login_password(client, EMAIL)
        response = submit_code(client, code_in(last_message(EMAIL)))
        assert "Trop de tentatives" in text(response)
        clock.shift(timedelta(minutes=6))
        response = submit_code(client, code_in(last_message(EMAIL)))
        assert _logged_in(client)


def _wrong_codes(client, email, count, ip):
    """``count`` wrong codes, a new login (new code) every 4 so no code is voided."""
    while count > 0:
        login_password(client, email, ip=ip)
        for _ in range(min(4, count)):
            submit_code(client, "000000", ip=ip)
            count -= 1


def test_wrong_codes_for_an_account_are_capped_at_exactly_the_limit():
    n = _limit("code_check_account")
    make_active_user(EMAIL)
    client = Client()
    _wrong_codes(client, EMAIL, n - 1, "198.51.100.1")
    login_password(client, EMAIL, ip="198.51.100.1")
    submit_code(client, code_in(last_message(EMAIL)))  # the N-th check is made
    assert _logged_in(client)

    make_active_user("autre@example.fr")
    client = Client()
    _wrong_codes(client, "autre@example.fr", n, "198.51.100.2")
    login_password(client, "autre@example.fr", ip="198.51.100.3")
    response = submit_code(client, code_in(last_message("autre@example.fr")))
    assert "Trop de tentatives" in text(response)
    assert not _logged_in(client)


def test_wrong_codes_from_one_ip_are_capped_at_exactly_the_limit():
    n = _limit("code_check_ip")
    per_account = 4
    emails = [f"personne{number}@example.fr" for number in range(2 * (n // per_account + 2))]
    for email in emails:
        make_active_user(email)
    accounts = iter(emails)
    for ip, wrong in (("198.51.100.1", n - 1), ("198.51.100.2", n)):
        client = Client()
        while wrong > 0:
            _wrong_codes(client, next(accounts), min(per_account, wrong), ip)
            wrong -= per_account
        email = next(accounts)
        login_password(client, email, ip=ip)
        response = submit_code(client, code_in(last_message(email)), ip=ip)
        if ip == "198.51.100.1":
            assert _logged_in(client)  # the N-th check is made
        else:
            assert "Trop de tentatives" in text(response)
            assert not _logged_in(client)

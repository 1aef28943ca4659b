"""“Connexion et sécurité”: authenticator app, recovery codes, mobile phone, personal
information, account deletion, the security log, re-authentication."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity.models import DeletedAccount, Notification, Profile, TotpDevice, User
from identity.services.accounts import account_deleting
from identity.tasks import purge_deleted_accounts
from tests.identity.helpers import (
    PASSWORD,
    code_in,
    last_message,
    link_in,
    login_password,
    login_with_emailed_code,
    make_active_user,
    path_of,
    submit_code,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def logged_in():
    make_active_user(EMAIL)
    client = Client(HTTP_USER_AGENT=FIREFOX)
    login_with_emailed_code(client, EMAIL)
    return client


def _reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def _enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    page = text(client.get(reverse("identity:totp_enrol")))
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    totp = pyotp.TOTP(secret)
    response = client.post(reverse("identity:totp_enrol"), {"code": totp.now()})
    codes = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", text(response))
    return totp, codes


def test_enrol_an_authenticator_app_then_log_in_with_it(logged_in):
    page = text(logged_in.get(reverse("identity:totp_enrol")))
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    response = logged_in.post(reverse("identity:totp_enrol"), {"code": "000000"})
    assert "n'est pas le bon" in text(response)
    assert secret in text(response)  # same secret while the enrolment is pending
    response = logged_in.post(reverse("identity:totp_enrol"), {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", text(response))
    assert len(codes) == 10
    device = TotpDevice.objects.get(confirmed_at__isnull=False)
    assert secret not in device.secret_encrypted  # encrypted at rest

    client = Client()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        login_password(client, EMAIL)
        submit_code(client, pyotp.TOTP(secret).now())
        assert client.get(reverse("identity:security")).status_code == 200


def test_sensitive_changes_ask_for_the_password_again_after_5_minutes(logged_in):
    _enrol(logged_in)
    device = TotpDevice.objects.get()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        for url in [
            reverse("identity:totp_remove", args=[device.pk]),
            reverse("identity:delete_account"),
            reverse("identity:recovery_codes"),
        ]:
            response = logged_in.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_reauthenticate")), url
        response = logged_in.post(
            reverse("account_reauthenticate"),
            {"password": PASSWORD},
        )
        assert response.status_code == 302
        logged_in.post(reverse("identity:totp_remove", args=[device.pk]))
    assert not TotpDevice.objects.exists()
    assert not User.objects.get().recovery_codes.exists()


def test_regenerated_recovery_codes_replace_the_old_ones(logged_in):
    _totp, old_codes = _enrol(logged_in)
    _reauthenticate(logged_in)
    response = logged_in.post(reverse("identity:recovery_codes"))
    new_codes = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", text(response))
    assert len(new_codes) == 10
    client = Client()
    login_password(client, EMAIL)
    submit_code(client, old_codes[0])
    assert client.get(reverse("identity:security")).status_code == 302
    submit_code(client, new_codes[0])
    assert client.get(reverse("identity:security")).status_code == 200


def test_the_security_log_shows_logins_with_a_coarse_device(logged_in):
    page = text(logged_in.get(reverse("identity:security")))
    assert "Journal de sécurité" in page
    assert "Connexion" in page
    assert "Code de connexion envoyé" in page
    assert "Firefox · Linux" in page
    assert "rv:128.0" not in page


def test_mobile_phone_is_normalised_verified_by_an_sms_link_then_used_for_codes(logged_in):
    response = logged_in.post(
        reverse("identity:phone"), {"phone": "06 12 34 56 78", "phone2": "0612345679"}
    )
    assert "Saisissez le même numéro deux fois" in text(response)
    response = logged_in.post(
        reverse("identity:phone"), {"phone": "06 12 34 56 78", "phone2": "+33 6 12 34 56 78"}
    )
    page = text(response)
    # No timed move to the next page (RGAA 13.1): the person goes on with a link.
    assert 'http-equiv="refresh"' not in page
    assert '<a class="fr-btn" href="/compte/securite/">Continuer</a>' in page
    user = User.objects.get()
    assert user.phone == "+33612345678"
    assert user.verified_phone == ""
    link = path_of(link_in(last_message("+33612345678", Notification.Channel.SMS), "/mobile/"))
    anyone = Client()
    assert "Vérifier mon numéro" in text(anyone.get(link))
    assert User.objects.get().phone_verified_at is None
    assert "est vérifié" in text(anyone.post(link))
    assert User.objects.get().verified_phone == "+33612345678"
    # Changing it now needs the password again.
    response = logged_in.get(reverse("identity:phone"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    client = Client()
    login_password(client, EMAIL)
    submit_code(client, code_in(last_message("+33612345678", Notification.Channel.SMS)))
    assert client.get(reverse("identity:security")).status_code == 200


def test_invalid_numbers_are_refused_and_no_mobile_is_a_choice(logged_in):
    response = logged_in.post(reverse("identity:phone"), {"phone": "123", "phone2": "123"})
    assert "Saisissez un numéro de mobile valide" in text(response)
    response = logged_in.post(reverse("identity:phone"), {"no_mobile": "on"})
    assert response["Location"] == reverse("identity:security")
    user = User.objects.get()
    assert user.no_mobile is True
    assert user.phone == ""


def test_phone_verification_sms_are_rate_limited(logged_in):
    for _ in range(3):
        logged_in.post(reverse("identity:phone"), {"phone": "0612345678", "phone2": "0612345678"})
        _reauthenticate(logged_in)  # changing an existing number needs the password again
    response = logged_in.post(
        reverse("identity:phone"), {"phone": "0612345678", "phone2": "0612345678"}
    )
    assert "Trop de tentatives" in text(response)
    assert Notification.objects.filter(channel=Notification.Channel.SMS).count() == 3


def test_personal_information_is_saved_and_franceconnect_fields_stay_locked(logged_in):
    response = logged_in.post(
        reverse("identity:profile"),
        {"birth_name": "Martin", "city": "Lyon", "family_situation": "pacs", "country": "France"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert (profile.birth_name, profile.city, profile.family_situation) == (
        "Martin",
        "Lyon",
        "pacs",
    )
    profile.identity_source = Profile.Source.FRANCECONNECT
    profile.save()
    logged_in.post(reverse("identity:profile"), {"birth_name": "Autre", "city": "Paris"})
    profile.refresh_from_db()
    assert (profile.birth_name, profile.city) == ("Martin", "Paris")
    assert "Donnée transmise par FranceConnect" in text(logged_in.get(reverse("identity:profile")))


def test_deleting_the_account_removes_it_keeps_a_hash_and_logs_out(logged_in):
    assert logged_in.get(reverse("identity:delete_account")).status_code == 302
    _reauthenticate(logged_in)
    received = []
    account_deleting.connect(lambda sender, user, **kw: received.append(user.email), weak=False)
    response = logged_in.post(reverse("identity:delete_account"), {})
    assert "Le formulaire contient des erreurs" in text(response)
    response = logged_in.post(reverse("identity:delete_account"), {"confirm": "on"})
    assert "Votre compte est supprimé" in text(response)
    assert not User.objects.exists()
    assert received == [EMAIL]
    row = DeletedAccount.objects.get()
    assert EMAIL not in row.email_hash
    assert logged_in.get(reverse("identity:security")).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        purge_deleted_accounts.delay()
        assert not DeletedAccount.objects.exists()


def test_header_offers_login_and_signup_then_the_account_and_logout(client, logged_in):
    page = text(client.get(reverse("account_login")))
    assert 'href="/compte/signup/"' in page
    assert "Vous rencontrez une difficulté ?" in page
    page = text(logged_in.get(reverse("identity:security")))
    assert "Se déconnecter" in page
    logged_in.post(reverse("account_logout"))
    assert logged_in.get(reverse("identity:security")).status_code == 302


def test_no_second_email_address_can_be_added_to_log_in_with(logged_in):
    from allauth.account.models import EmailAddress

    logged_in.post(reverse("account_email"), {"action_add": "", "email": "autre@example.fr"})
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [EMAIL]

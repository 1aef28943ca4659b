"""The applicant's way around the account: where login lands, links to the porte-documents,
recovery codes to keep, the email that confirms an account deletion."""

import re

import pyotp
import pytest
from django.urls import reverse

from identity.models import User
from identity.services import totp_device_confirm, totp_device_start
from identity.services.second_factor import totp_secret
from tests.support.client import CommitClient

from .helpers import (
    PASSWORD,
    altcha_payload,
    code_in,
    last_message,
    make_active_user,
    submit_code,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "lina@example.fr"


@pytest.fixture
def client():
    return CommitClient()


def _login(client, *, next_url: str | None = None):
    url = reverse("account_login")
    if next_url:
        url += f"?next={next_url}"
    response = client.post(
        url,
        {"login": EMAIL, "password": PASSWORD, "altcha": altcha_payload(), "next": next_url or ""},
    )
    assert response["Location"] == reverse("identity:second_factor")
    return submit_code(client, code_in(last_message(EMAIL)))


def test_login_lands_on_my_demandes(client):
    make_active_user(EMAIL)
    response = _login(client)
    assert response["Location"] == reverse("cases:my_cases")


def test_login_goes_back_to_next(client):
    make_active_user(EMAIL)
    response = _login(client, next_url=reverse("locker:list"))
    assert response["Location"] == reverse("locker:list")


@pytest.fixture
def logged_in(client):
    make_active_user(EMAIL)
    _login(client)
    return client


def test_the_porte_documents_is_linked_from_the_header_and_the_account_pages(client, logged_in):
    anonymous = text(CommitClient().get(reverse("cases:procedure_list")))
    assert 'href="/porte-documents/"' not in anonymous
    for url in (
        reverse("cases:procedure_list"),
        reverse("cases:my_cases"),
        reverse("identity:security"),
    ):
        page = text(logged_in.get(url))
        header = page[page.index("<header") : page.index("</header>")]
        assert re.search(r'href="/porte-documents/"[^>]*>Mon porte-documents</a>', header), url
    main = text(logged_in.get(reverse("cases:my_cases"))).split("</header>", 1)[1]
    assert 'href="/porte-documents/"' in main
    main = text(logged_in.get(reverse("identity:security"))).split("</header>", 1)[1]
    assert 'href="/porte-documents/"' in main


def _codes_page(client) -> list[str]:
    user = User.objects.get(email=EMAIL)
    device = totp_device_start(user=user)
    codes = totp_device_confirm(device=device, code=pyotp.TOTP(totp_secret(device)).now())
    # What the page shows after the enrolment: the codes, a download form and a print button.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = text(client.post(reverse("identity:recovery_codes")))
    shown = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", page)
    assert len(shown) == 10
    assert set(shown).isdisjoint(codes)
    assert f'action="{reverse("identity:recovery_codes_download")}"' in page
    assert "data-print" in page
    assert "guichet/js/print.js" in page
    return shown


def test_recovery_codes_can_be_downloaded_as_a_text_file(logged_in):
    codes = _codes_page(logged_in)
    response = logged_in.post(reverse("identity:recovery_codes_download"), {"code": codes})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="codes-de-secours.txt"'
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    assert all(code in body for code in codes)
    assert EMAIL in body


def test_only_the_users_current_codes_are_written_into_the_file(logged_in):
    codes = _codes_page(logged_in)
    forged = [*codes[:9], "AAAAA-BBBBB"]
    response = logged_in.post(reverse("identity:recovery_codes_download"), {"code": forged})
    assert response.status_code == 302
    assert "AAAAA" not in text(logged_in.get(response["Location"]))


def test_an_email_confirms_the_account_deletion(logged_in):
    logged_in.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = logged_in.post(reverse("identity:delete_account"), {"confirm": "on"})
    assert "Votre compte est supprimé" in text(response)
    assert not User.objects.filter(email=EMAIL).exists()
    message = last_message(EMAIL)
    assert message.subject.endswith("Votre compte est supprimé")
    assert "est supprimé, à votre demande" in message.body_text
    assert "365 jours" in message.body_text

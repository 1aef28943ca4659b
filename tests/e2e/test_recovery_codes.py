"""Recovery codes in a real browser: downloaded as a text file, printed without the page's
header, footer and buttons."""

import re

import pyotp
import pytest
from django.conf import settings
from playwright.sync_api import expect

from identity.services import totp_device_confirm, totp_device_start
from identity.services.second_factor import totp_secret
from tests.identity.helpers import PASSWORD, login_with_emailed_code, make_active_user
from tests.support.client import CommitClient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "noe@example.fr"


def test_recovery_codes_download_and_print(browser, live_server, screenshot):
    user = make_active_user(EMAIL)
    client = CommitClient()
    login_with_emailed_code(client, EMAIL)
    device = totp_device_start(user=user)
    totp_device_confirm(device=device, code=pyotp.TOTP(totp_secret(device)).now())
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/compte/securite/codes-de-secours/")
    page.wait_for_url("**/compte/reauthenticate/**")  # new codes: the password again
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/compte/securite/codes-de-secours/")
    page.get_by_role("button", name="Créer de nouveaux codes").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.wait_for_load_state()  # print.js is deferred: it runs once the page has loaded
    codes = page.locator("#recovery-codes li").all_inner_texts()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les codes (fichier texte)").click()
    download = download_info.value
    assert download.suggested_filename == "codes-de-secours.txt"
    content = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", content) == codes

    print_button = page.get_by_role("button", name="Imprimer les codes")
    expect(print_button).to_be_visible()  # shown by print.js
    screenshot(page, "recovery-01-screen")
    page.emulate_media(media="print")
    assert not page.locator("header.fr-header").is_visible()
    assert not print_button.is_visible()
    assert page.locator("#recovery-codes").is_visible()
    screenshot(page, "recovery-02-print")

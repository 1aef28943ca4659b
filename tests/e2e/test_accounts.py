"""Browser journey (Debian's Chromium): sign up, activate, log in with the emailed code,
enrol an authenticator app from the QR secret, log in again with it.

Without risk, nothing asks for ALTCHA (sign-up and the first login post no check); after
failed logins the widget appears and is solved for real in the browser (proof of work from
our static files). In e2e the Celery app is eager and Django's test email backend is locmem.
"""

import re
import time

import pyotp
import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.identity.helpers import PASSWORD
from tests.support.browser import solve_altcha

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "navigateur@example.fr"


def _mail_body(predicate) -> str:
    found = [m for m in mail.outbox if m.to == [EMAIL] and predicate(m)]
    assert found, [m.subject for m in mail.outbox]
    return found[-1].body


def _login_with_password(page, *, altcha=False):
    page.goto("/compte/login/")
    assert (page.locator("altcha-widget").count() == 1) is altcha
    page.get_by_label("Identifiant (adresse électronique)").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    if altcha:
        solve_altcha(page)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/connexion/code/")


def _fail_logins(page, count):
    for _ in range(count):
        page.goto("/compte/login/")
        page.get_by_label("Identifiant (adresse électronique)").fill("inconnu@example.fr")
        page.get_by_label("Mot de passe", exact=True).fill("Pas-Le-Bon-2026!")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()


def test_signup_activate_code_login_enrol_totp_and_login_with_it(page, screenshot):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )

    page.goto("/compte/signup/")
    page.get_by_label("Adresse électronique", exact=True).fill(EMAIL)
    page.get_by_label("Confirmez l'adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill("court")
    assert page.locator("#id_password1-rules li[data-ok='0']").count() >= 1
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    assert page.locator("#id_password1-rules li[data-ok='0']").count() == 0
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.locator("#id_terms").set_checked(True, force=True)
    assert page.locator("altcha-widget").count() == 0  # no risk: no check, no JavaScript needed
    screenshot(page, "20-signup")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/confirm-email/")
    screenshot(page, "20-verification-sent")

    body = _mail_body(lambda m: "/compte/confirm-email/" in m.body)
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    screenshot(page, "20-activate")
    page.get_by_role("button", name="Activer mon compte").click()
    page.wait_for_url("**/compte/login/")

    _login_with_password(page)
    screenshot(page, "20-emailed-code")
    code = re.search(r"\b(\d{6})\b", _mail_body(lambda m: "code" in m.subject.lower())).group(1)
    page.get_by_label("Code de connexion").fill(code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/mes-demarches/")  # after login: the person's demandes
    page.goto("/compte/securite/")
    screenshot(page, "20-security")

    page.get_by_role("link", name="Utiliser une application d'authentification").click()
    page.wait_for_url("**/compte/securite/application/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    screenshot(page, "20-totp-enrol")
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(totp.now())
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)  # after the answer came
    screenshot(page, "20-recovery-codes")

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_load_state()
    _fail_logins(page, settings.GUICHET_ANTIROBOT["login"]["ip"])
    _login_with_password(page, altcha=True)
    assert "application d'authentification" in page.locator("main").inner_text()
    screenshot(page, "20-totp-code")
    # The next step's code: the one used for the enrolment can never be used again.
    page.get_by_label("Code de connexion").fill(totp.at(int(time.time()) + 30))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/mes-demarches/")
    page.goto("/compte/securite/")
    assert "Application d'authentification ajoutée" in page.locator("main").inner_text()
    screenshot(page, "20-logged-in-with-totp")
    assert not [e for e in errors if "Content Security Policy" in e], errors

"""An organisation in a real browser (Debian's Chromium): a manager becomes manager of a
pre-registered organisation by its member number, invites a member; the member's first
connection (the emailed link, then the code sent by SMS); the manager links a physical OTP
card; the member logs in with the card and files a demande in the organisation's space,
which their personal space does not show.

The organisation and the cards come from the administrators' CSV imports (management
commands); the card's codes are computed from the secret of the seed file, as the card
does. Emails and SMS are read from the outbox rows the views wrote.
"""

import re
import time

import pyotp
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from identity.models import Notification, Space
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.support.browser import assert_accessible
from tests.support.filing import PASSWORD
from tests.support.organisations import person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MEMBER_NUMBER = "654321"
ORGANISATION = "Réseau des Aidants du Val"
SERIAL = "TOK-2026-0042"
CARD_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MEMBER_EMAIL = "lucie.member@example.fr"
MEMBER_MOBILE = "+33698765432"
MEMBER_PASSWORD = "Aidante-Du-Val-2026!"


def _last(recipient: str, channel: str) -> Notification:
    found = Notification.objects.filter(recipient=recipient, channel=channel).order_by("created_at")
    assert found.exists(), f"no {channel} to {recipient}"
    return found.last()


def _log_in(page, email: str, password: str, code: str) -> None:
    page.goto("/compte/login/")
    page.get_by_label("Identifiant (adresse électronique)").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/connexion/code/")
    page.get_by_label("Code de connexion").fill(code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/mes-demarches/")


def _switch_to(page, name: str) -> None:
    page.get_by_label("Choisir un autre espace").select_option(label=name)
    page.get_by_role("button", name="Changer d'espace").click()
    expect(page.get_by_test_id("espace-actif")).to_have_text(name)


def _next_code(totp: pyotp.TOTP) -> str:
    """The code of the next step: the one just used (to confirm) is never accepted again."""
    return totp.at(int(time.time()) + totp.interval)


def test_claim_invite_first_connection_card_and_a_demande_of_the_organisation(
    browser, live_server, screenshot, tmp_path
):
    from io import StringIO

    from cases import demo as cases_demo
    from identity import demo as identity_demo

    identity_demo.seed(StringIO())
    cases_demo.seed(StringIO())
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(f"nom;numero;siret\n{ORGANISATION};{MEMBER_NUMBER};73282932000074\n")
    call_command("import_organisations", str(organisations), stdout=StringIO())
    seeds = tmp_path / "graines.csv"
    seeds.write_text(f"serial,secret,period\n{SERIAL},{CARD_SECRET},30\n")
    call_command("import_otp_cards", str(seeds), stdout=StringIO())
    card = pyotp.TOTP(CARD_SECRET, interval=30)

    # The manager-to-be has an authenticator app: managing a space is a staff area.
    manager = person("gaelle.riviere@example.fr", "Gaëlle", "Rivière")
    device = totp_device_start(user=manager)
    app = pyotp.TOTP(totp_secret(device))
    assert totp_device_confirm(device=device, code=app.now()) is not None

    boss = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _log_in(boss, manager.email, PASSWORD, _next_code(app))
    expect(boss.get_by_test_id("espace-actif")).to_have_text("Mon espace personnel")

    # 1. Become manager by the member number.
    boss.get_by_role("link", name="Mes espaces").click()
    boss.get_by_role("link", name="Devenir gestionnaire avec un numéro d'adhérent").click()
    boss.get_by_label("Numéro d'adhérent de l'organisation").fill(MEMBER_NUMBER)
    boss.get_by_role("button", name="Continuer").click()
    boss.wait_for_url("**/confirmer/")
    expect(boss.get_by_role("heading", level=1)).to_contain_text(ORGANISATION)
    boss.locator("#id_charter").set_checked(True, force=True)
    screenshot(boss, "org-1-claim")
    boss.get_by_role("button", name="Devenir gestionnaire").click()
    expect(boss.get_by_test_id("espace-actif")).to_have_text(ORGANISATION)

    # 2. Invite a member, with her mobile number.
    boss.get_by_role("link", name="Gérer les membres et les cartes").click()
    assert_accessible(boss)
    boss.get_by_role("link", name="Inviter une personne").click()
    boss.get_by_label("Adresse électronique de la personne").fill(MEMBER_EMAIL)
    boss.get_by_label("Son numéro de téléphone mobile").fill("06 98 76 54 32")
    screenshot(boss, "org-2-invite")
    boss.get_by_role("button", name="Envoyer l'invitation").click()
    expect(boss.get_by_text("L'invitation est envoyée")).to_be_visible()

    # 3. Her first connection: the emailed link, then the code sent by SMS.
    link = re.search(r"https?://\S+/invitation/\S+/", _last(MEMBER_EMAIL, "email").body_text)
    lucie = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    lucie.goto(re.sub(r"^https?://[^/]+", "", link.group(0)))
    expect(lucie.get_by_role("heading", level=1)).to_contain_text(ORGANISATION)
    lucie.get_by_role("button", name="Recevoir le code par SMS").click()
    lucie.wait_for_url("**/code/")
    sms = _last(MEMBER_MOBILE, "sms").body_text
    lucie.get_by_label("Code reçu par SMS").fill(re.search(r"\b(\d{6})\b", sms).group(1))
    lucie.get_by_label("Choisissez un mot de passe").fill(MEMBER_PASSWORD)
    lucie.get_by_label("Confirmez le mot de passe").fill(MEMBER_PASSWORD)
    lucie.locator("#id_terms").set_checked(True, force=True)
    assert_accessible(lucie)
    screenshot(lucie, "org-3-first-connection")
    lucie.get_by_role("button", name="Créer mon compte").click()
    lucie.wait_for_url("**/compte/bienvenue/")
    expect(lucie.get_by_test_id("espace-actif")).to_have_text(ORGANISATION)
    lucie.get_by_role("button", name="Se déconnecter").first.click()
    lucie.wait_for_load_state()

    # 4. The manager links a physical card to her.
    boss.goto("/espaces/gestion/")
    boss.get_by_role("link", name=MEMBER_EMAIL).click()
    boss.get_by_role("link", name="Associer une carte physique").click()
    boss.get_by_label("Numéro de série de la carte").fill(SERIAL)
    boss.get_by_role("button", name="Continuer").click()
    boss.wait_for_url("**/carte/confirmer/")
    boss.get_by_label("Code à 6 chiffres affiché par la carte").fill(card.now())
    screenshot(boss, "org-4-card")
    boss.get_by_role("button", name="Associer la carte").click()
    expect(boss.get_by_text(f"Carte OTP n° {SERIAL}")).to_be_visible()

    # 5. She logs in with the card, and files a demande in the organisation's space.
    _log_in(lucie, MEMBER_EMAIL, MEMBER_PASSWORD, _next_code(card))
    _switch_to(lucie, ORGANISATION)
    lucie.goto("/demarches/changement-adresse/commencer/")
    lucie.get_by_role("button", name="Commencer la démarche").click()
    for name, value in {
        "ancienne_adresse__street": "1 rue Haute",
        "ancienne_adresse__postcode": "33000",
        "ancienne_adresse__city": "Bordeaux",
        "nouvelle_adresse__street": "2 rue Basse",
        "nouvelle_adresse__postcode": "33100",
        "nouvelle_adresse__city": "Bordeaux",
        "date_demenagement": "2026-10-01",
    }.items():
        lucie.locator(f"[name={name}]").fill(value)
    lucie.locator("label[for=id_justificatif_domicile__later]").click()
    lucie.get_by_role("button", name="Vérifier avant de déposer").click()
    lucie.wait_for_url("**/verifier/")
    lucie.get_by_role("button", name="Déposer ma demande").click()
    lucie.wait_for_url("**/deposee/")
    number = lucie.locator(".guichet-number").inner_text()
    case = Case.objects.get(number=number.replace("-", ""))
    assert case.space == Space.objects.get(member_number=MEMBER_NUMBER)
    lucie.goto("/mes-demarches/")
    expect(lucie.get_by_text(case.number).or_(lucie.get_by_text(number)).first).to_be_visible()
    screenshot(lucie, "org-5-filed-in-organisation")

    # 6. Her personal space shows nothing of it.
    _switch_to(lucie, "Mon espace personnel")
    lucie.goto("/mes-demarches/")
    main = lucie.locator("main").inner_text()
    assert case.number not in main
    assert number not in main
    response = lucie.goto(f"/demandes/{case.number}/")
    assert response.status == 404
    screenshot(lucie, "org-6-personal-space")

"""An instructor logs in with their authenticator app, takes a demande from "À traiter",
asks the applicant for information with a file, and decides once the applicant has replied
— in a real browser."""

import re
import time

import pyotp
import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from cases.models import Case
from identity.models import User
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.support.browser import assert_accessible
from tests.support.client import CommitClient
from tests.support.files import pdf_bytes
from tests.support.filing import PASSWORD, pdf_upload
from tests.support.instruction import file_heating_aid, make_instructor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _logged_in_with_app(browser, live_server, user):
    """The instructor logs in through the real pages: password (no ALTCHA: no risk yet),
    then the code of their authenticator app (staff cannot instruct after an emailed code)."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    device = totp_device_start(user=user)
    totp = pyotp.TOTP(totp_secret(device))
    assert totp_device_confirm(device=device, code=totp.now()) is not None
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto("/compte/login/")
    page.get_by_label("Identifiant (adresse électronique)").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/connexion/code/")
    # The next step's code: the one used to confirm the app is never accepted again.
    page.get_by_label("Code de connexion").fill(totp.at(int(time.time()) + 30))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/mes-demarches/")
    return page


def test_instructor_takes_requests_information_and_decides(
    browser, live_server, screenshot, tmp_path
):
    from io import StringIO

    from cases import demo as cases_demo
    from identity import demo as identity_demo

    identity_demo.seed(StringIO())
    cases_demo.seed(StringIO())
    instructor = make_instructor(
        "alice.durand@departement.example", "Alice", "Durand", "action-sociale"
    )
    applicant = User.objects.create_user(
        "camille.martin@example.fr", "x", first_name="Camille", last_name="Martin"
    )
    applicant_client = CommitClient()
    applicant_client.force_login(applicant)
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    assert case.status == Case.Status.IN_INSTRUCTION

    page = _logged_in_with_app(browser, live_server, instructor)
    screenshot(page, "instruction-0-logged-in-with-app")
    # Every queue is a page of its own, reached from a navigation; axe-checked.
    page.goto("/instruction/")
    queues = page.get_by_role("navigation", name="Files de demandes")
    for name in ("Mes dossiers", "En attente de l'usager", "Traités", "Tous", "À traiter"):
        queues.get_by_role("link", name=name).click()
        expect(queues.locator("[aria-current=page]")).to_contain_text(name)
        expect(page.locator("[aria-selected]")).to_have_count(0)
        assert_accessible(page)
    expect(page).to_have_title(re.compile(r"^Instruction des demandes — [^<]{1,60}$"))
    screenshot(page, "instruction-1-a-traiter")
    page.get_by_role("link", name=case.display_number).click()
    page.get_by_role("button", name="Prendre ce dossier").click()
    expect(page.get_by_text("Vous avez pris ce dossier.")).to_be_visible()

    attachment = tmp_path / "modele-attestation.pdf"
    attachment.write_bytes(pdf_bytes())
    request_form = page.locator(
        "form", has=page.get_by_role("button", name="Envoyer la demande d'information")
    )
    request_form.get_by_label("Votre message à l'usager").fill(
        "Bonjour, merci de remplir l'attestation jointe."
    )
    request_form.get_by_label("Joindre des documents (facultatif)").set_input_files(str(attachment))
    screenshot(page, "instruction-2-demande-information")
    request_form.get_by_role("button", name="Envoyer la demande d'information").click()
    expect(page.locator("#etat")).to_have_text("En attente de l'usager")

    # The applicant replies from their own page.
    response = applicant_client.post(
        f"/demandes/{case.number}/repondre/",
        {"body": "Voici l'attestation remplie.", "files": [pdf_upload("attestation.pdf")]},
    )
    assert response.status_code == 302

    page.reload()
    expect(page.locator("#etat")).to_have_text("En instruction")
    expect(page.get_by_text("Voici l'attestation remplie.")).to_be_visible()
    page.get_by_role("button", name="Prendre ce dossier").click()
    page.get_by_role("button", name="La demande est complète : passer à la décision").click()
    # A DSFR radio is drawn by its label, which takes the click (as a person does).
    page.locator("label[for=id_decision_0]").click()
    expect(page.get_by_label("Accepter")).to_be_checked()
    screenshot(page, "instruction-3-decision")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#etat")).to_have_text("Acceptée")
    screenshot(page, "instruction-4-decidee")
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED

"""Expert opinion in a real browser (ADR 0408): the instructor asks an outside expert for
an avis sharing one file of the demande; the expert opens the emailed link, creates their
account, logs in as everyone does (password, then the code emailed), answers with a file;
the instructor reads the avis and decides."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from identity.models import User
from tests.support.browser import assert_accessible
from tests.support.client import CommitClient
from tests.support.files import pdf_bytes
from tests.support.filing import PASSWORD
from tests.support.instruction import file_heating_aid, make_instructor
from workflows.models import Avis

from .test_instruction import _logged_in_with_app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXPERT = "expert.bati@cabinet.example"


def _mail_to(email, predicate) -> str:
    found = [m for m in mail.outbox if m.to == [email] and predicate(m)]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1].body


def test_instructor_asks_an_avis_the_expert_answers_with_a_file_and_the_instructor_decides(
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
    applicant = User.objects.create_user("camille.martin@example.fr", "x")
    applicant_client = CommitClient()
    applicant_client.force_login(applicant)
    case = file_heating_aid(applicant_client, defer_tax_notice=False)

    page = _logged_in_with_app(browser, live_server, instructor)
    page.goto(f"/instruction/demandes/{case.number}/")
    page.get_by_role("button", name="Prendre ce dossier").click()
    form = page.locator("form", has=page.get_by_role("button", name="Envoyer la demande d'avis"))
    form.get_by_label("Adresse électronique de l'expert").fill(EXPERT)
    form.get_by_label("Question posée à l'expert").fill("L'isolation est-elle conforme ?")
    due = timezone.localdate() + timedelta(days=7)
    form.get_by_label("Réponse attendue avant le").fill(due.isoformat())
    form.locator("label", has_text="recto.png").click()
    screenshot(page, "avis-1-demande")
    form.get_by_role("button", name="Envoyer la demande d'avis").click()
    expect(page.get_by_text(f"La demande d'avis est envoyée à {EXPERT}.")).to_be_visible()
    expect(page.locator("[data-avis-pending]")).to_contain_text("Vous pouvez décider")
    assert_accessible(page)

    # The expert, in their own browser, from the emailed link.
    body = _mail_to(EXPERT, lambda m: "/avis/invitation/" in m.body)
    link = re.search(r"https?://\S+?(/avis/invitation/\S+/)", body).group(1)
    expert_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    expert_page.goto(link)
    expert_page.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    expert_page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    expert_page.locator("#id_terms").set_checked(True, force=True)
    assert_accessible(expert_page)
    screenshot(expert_page, "avis-2-compte-expert")
    expert_page.get_by_role("button", name="Créer mon compte").click()
    expert_page.wait_for_url("**/compte/login/**")
    expert_page.get_by_label("Identifiant (adresse électronique)").fill(EXPERT)
    expert_page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    expert_page.get_by_role("button", name="Se connecter").click()
    expert_page.wait_for_url("**/compte/connexion/code/")
    code = re.search(r"\b(\d{6})\b", _mail_to(EXPERT, lambda m: "code" in m.subject.lower()))
    expert_page.get_by_label("Code de connexion").fill(code.group(1))
    expert_page.get_by_role("button", name="Valider").click()
    avis = Avis.objects.get(email=EXPERT)
    expert_page.wait_for_url(f"**/avis/{avis.pk}/")
    expect(expert_page.get_by_text("L'isolation est-elle conforme ?")).to_be_visible()
    expect(expert_page.get_by_role("link", name="recto.png")).to_be_visible()
    expect(expert_page.get_by_role("link", name="avis.pdf")).to_have_count(0)  # not shared
    assert_accessible(expert_page)
    report = tmp_path / "rapport-expert.pdf"
    report.write_bytes(pdf_bytes())
    expert_page.get_by_label("Votre avis").fill("Isolation conforme, rapport joint.")
    expert_page.get_by_label("Joindre des documents (facultatif)").set_input_files(str(report))
    screenshot(expert_page, "avis-3-reponse-expert")
    expert_page.get_by_role("button", name="Envoyer mon avis").click()
    expect(expert_page.get_by_text("Votre avis est envoyé au service. Merci.")).to_be_visible()
    expect(expert_page.locator("#etat-avis")).to_have_text("Rendu")

    # The instructor reads the avis and decides.
    page.reload()
    expect(page.get_by_text("Isolation conforme, rapport joint.")).to_be_visible()
    expect(page.get_by_role("link", name="rapport-expert.pdf")).to_be_visible()
    screenshot(page, "avis-4-avis-rendu")
    page.get_by_role("button", name="La demande est complète : passer à la décision").click()
    page.locator("label[for=id_decision_0]").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#etat")).to_have_text("Acceptée")
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    avis.refresh_from_db()
    assert avis.status == Avis.Status.ANSWERED  # an answered avis stays as it was

"""Journey 2 — an applicant without an account, with the keyboard only: files the activity
declaration (the email is proved by a 6-digit code the Celery worker really sends), tracks
the demande by email and number from another browser, answers the service's question from
the link of its email, then sees the refusal and its reason on the demande page.

The instructor's side goes through the product's service functions (journey 1 drives the
instructor's browser)."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from tests.journeys.conftest import JOURNEY_MARKS
from tests.support.files import pdf_bytes
from tests.support.instruction import human_task, make_instructor
from tests.support.services import wait_until
from workflows import services as instruction

pytestmark = JOURNEY_MARKS

EMAIL = "contact@boulangerie-du-coin.example"
QUESTION = "Bonjour, merci de préciser l'adresse exacte de votre local commercial."
ANSWER = "Le local est au 8 rue de la Fontaine, à Nantes. Je joins le bail."
REASON = "L'activité déclarée relève de la chambre de métiers, pas de notre service."


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def email_about(smtp_server, subject: str):
    """The email to the applicant whose subject starts with ``subject``."""
    return smtp_server.wait_for(
        lambda m: m["To"] == EMAIL and str(m["Subject"]).startswith(subject), timeout=30
    )


def link_path(message) -> str:
    """The tracking link of an email, as a path: the link names the configured site, the
    journey's server listens on its own port."""
    link = re.search(r"https?://\S+/suivre/lien/\S+", text_of(message)).group(0)
    return urlsplit(link).path


def keyboard_of(journey, page):
    """The journey's keyboard driver, with file choosers intercepted from the start.

    ``Keyboard.choose_file`` starts waiting for the chooser just before pressing Space;
    Playwright turns the interception on without waiting for the browser's answer, so a
    quick key press can open the (headless, invisible) native chooser instead and the wait
    times out. A listener set when the page opens keeps the interception on."""
    page.on("filechooser", lambda chooser: None)
    return journey.keyboard(page)


def type_date(keys, field, day: str, month: str, year: str) -> None:
    """A date field orders its parts as the browser's own language does (not the page's):
    type day first; if the browser reads month first, go back to its first part (Shift+Tab
    moves between the parts) and type month first."""
    keys.type(field, day + month + year)
    if field.input_value() != f"{year}-{month}-{day}":
        keys.page.keyboard.press("Shift+Tab")
        keys.page.keyboard.press("Shift+Tab")
        keys.page.keyboard.type(month + day + year)


def case_in(status, number) -> Case:
    return wait_until(
        lambda: Case.objects.filter(number=number, status=status).first(),
        message=f"the demande {number} to be {status}",
    )


def test_anonymous_applicant_files_tracks_answers_and_sees_the_refusal(
    journey, smtp_server, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    instructor = make_instructor(
        "chloe.morel@eco.example", "Chloé", "Morel", "developpement-economique"
    )
    kbis, lease = tmp_path / "kbis.pdf", tmp_path / "bail-local.pdf"
    kbis.write_bytes(pdf_bytes())
    lease.write_bytes(pdf_bytes(pages=2))

    # --- Filing, without an account ---------------------------------------------------
    page = journey.open()
    keys = keyboard_of(journey, page)
    page.goto("/demarches/declaration-activite/commencer/")
    journey.check(page, "procedure-start")
    expect(page.locator("html[data-fr-js]")).to_have_count(1)  # DSFR styles and scripts
    expect(page.get_by_text("Vous pouvez faire cette démarche sans compte")).to_be_visible()
    keys.press(page.get_by_role("button", name="Commencer la démarche"))
    page.wait_for_url("**/demandes/brouillon/*/")
    journey.check(page, "draft")

    keys.type(page.get_by_label("Nom de l'entreprise"), "Boulangerie du Coin")
    keys.type(page.get_by_label("Numéro SIRET"), "732 829 320 00074")
    keys.type(page.get_by_label("Adresse électronique de contact"), EMAIL)
    keys.type(page.get_by_label("Activité exercée"), "Boulangerie, pâtisserie")
    date = page.get_by_label("Date de début d'activité")
    type_date(keys, date, "01", "09", "2026")
    expect(date).to_have_value("2026-09-01")
    # No answer checked yet: Tab stops on the first radio, an arrow key moves to "Non".
    keys.press(page.get_by_role("radio", name="Oui"), "ArrowRight")
    expect(page.get_by_role("radio", name="Non")).to_be_checked()
    keys.choose_file(page.locator("#file__kbis"), str(kbis))
    keys.press(page.get_by_role("button", name="Vérifier avant de déposer"))
    page.wait_for_url("**/verifier/")
    journey.check(page, "draft-review")
    expect(page.get_by_text("kbis.pdf")).to_be_visible()

    keys.press(page.get_by_role("button", name="Confirmer mon adresse et déposer"))
    page.wait_for_url("**/courriel/")
    journey.check(page, "draft-email")
    # The contact email of the form is offered: no need to type it twice.
    expect(page.get_by_label("Votre adresse électronique")).to_have_value(EMAIL)
    keys.press(page.get_by_role("button", name="Recevoir un code"))
    expect(page.get_by_text(f"Code envoyé à {EMAIL}.")).to_be_visible()
    journey.check(page, "draft-email-code-sent")
    code_email = email_about(smtp_server, "Votre code de confirmation")
    code = re.search(r"\b(\d{6})\b", text_of(code_email)).group(1)
    assert str(code_email["Subject"]).endswith(code)
    keys.type(page.get_by_label("Code reçu par courriel"), code)
    keys.press(page.get_by_role("button", name="Valider le code"))
    page.wait_for_url("**/verifier/")
    expect(page.get_by_text("Votre adresse est confirmée.")).to_be_visible()
    journey.check(page, "draft-review-verified")

    keys.press(page.get_by_role("button", name="Déposer ma demande"))
    page.wait_for_url("**/deposee/")
    journey.check(page, "submitted")
    expect(page.get_by_role("heading", name="Votre demande est déposée")).to_be_visible()
    number = page.locator(".guichet-number").inner_text()
    case = case_in(Case.Status.IN_INSTRUCTION, number.replace("-", ""))
    assert case.applicant_email == EMAIL
    assert case.email_verified
    email_about(smtp_server, f"Votre demande {number} est bien enregistrée")

    # --- Tracking from another browser, with the email and the number -----------------
    page = journey.open()
    keys = keyboard_of(journey, page)
    page.goto("/suivre/")
    journey.check(page, "track")
    keys.type(page.get_by_label("Adresse électronique"), EMAIL.upper())
    keys.type(page.get_by_label("Numéro de la demande"), number.lower())
    keys.press(page.get_by_role("button", name="Voir ma demande"))
    page.wait_for_url(f"**/demandes/{case.number}/")
    journey.check(page, "demande-tracked")
    title = "Déclaration d'activité professionnelle"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".fr-badge")).to_have_text("En instruction")

    # --- The service asks for information ----------------------------------------------
    task = instruction.task_take(task=human_task(case), user=instructor)
    instruction.task_request_information(task=task, user=instructor, body=QUESTION)
    question = email_about(smtp_server, "Le service vous pose une question")

    # --- The applicant answers from the link of the email ------------------------------
    page.goto(link_path(question))
    page.wait_for_url(f"**/demandes/{case.number}/")
    journey.check(page, "demande-awaiting")
    expect(page.get_by_text("Le service attend votre réponse.")).to_be_visible()
    # DSFR tabs: Tab reaches the selected tab only, the arrows move between tabs.
    keys.press(page.get_by_role("tab", name="Résumé"), "End")
    messaging = page.get_by_role("tabpanel", name=re.compile("^Messagerie"))
    expect(messaging).to_be_visible()
    journey.check(page, "demande-messaging")
    expect(messaging.get_by_text(QUESTION)).to_be_visible()
    keys.type(messaging.get_by_label("Votre message"), ANSWER)
    keys.choose_file(messaging.get_by_label("Joindre des documents (facultatif)"), str(lease))
    keys.press(messaging.get_by_role("button", name="Envoyer mon message"))
    expect(page.get_by_text("Votre message est envoyé au service.")).to_be_visible()
    journey.check(page, "demande-answered")
    expect(messaging.get_by_text(ANSWER)).to_be_visible()
    expect(messaging.get_by_role("link", name="bail-local.pdf")).to_be_visible()
    expect(page.locator(".fr-badge")).to_have_text("En instruction")
    case = case_in(Case.Status.IN_INSTRUCTION, case.number)

    # --- The service refuses, with a reason --------------------------------------------
    task = instruction.task_take(task=human_task(case), user=instructor)
    instruction.task_check_complete(task=task, user=instructor)
    instruction.task_decide(
        task=human_task(case), user=instructor, decision="refused", reason=REASON
    )
    decision = email_about(smtp_server, f"Votre demande {number} est refusée")

    page.goto(link_path(decision))
    page.wait_for_url(f"**/demandes/{case.number}/")
    journey.check(page, "demande-refused")
    expect(page.locator(".fr-badge")).to_have_text("Refusée")
    keys.press(page.get_by_role("tab", name="Résumé"), "End")
    expect(messaging).to_be_visible()
    journey.check(page, "demande-refused-messaging")
    expect(messaging.get_by_text("Décision : Refusée.")).to_be_visible()
    expect(messaging.get_by_text(f"Motif : {REASON}")).to_be_visible()

    journey.finish()

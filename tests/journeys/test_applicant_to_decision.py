"""Journey 1, with the keyboard only: an applicant from nothing to a decision.

Sign up, activate with the emailed link, first login with the emailed code, enrol an
authenticator app, fill in the personal information, put a document in the porte-documents,
file the heating aid with one uploaded file and one from the porte-documents; an instructor
(another browser, authenticator-app login) takes it and asks for a document; the applicant
replies with a PDF; the instructor accepts with the letter drawn from the procedure's
template; the applicant finds the decision in the timeline and the letter in their
porte-documents.

Every email comes from the real Celery worker through SMTP: the journey waits on the sink.
Only the first page of each person and the activation link from the email are opened by
address; everything else is reached with Tab and acted on with Enter, Space or typed keys.
"""

import re
import time
from io import StringIO
from pathlib import Path

import pyotp
from allauth.account.models import EmailAddress
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.identity.helpers import PASSWORD
from tests.journeys.conftest import JOURNEY_MARKS
from tests.support.files import pdf_bytes, pdf_shown_text, png_bytes
from tests.support.filing import PASSWORD as STAFF_PASSWORD
from tests.support.instruction import make_instructor

pytestmark = JOURNEY_MARKS

EMAIL = "lea.fontaine@example.fr"
INSTRUCTOR = "olivier.garnier@departement.example"


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _mail_to(smtp_server, predicate):
    """The first email to the applicant that matches, once the worker has sent it."""
    return smtp_server.wait_for(lambda m: EMAIL in str(m["To"]) and predicate(m), timeout=60)


def _type_date(page, keys, locator, iso: str) -> None:
    """Type a date as a person does, in the order the browser shows its parts. Chromium
    follows its own interface language (from the environment), not the page's: the
    day-first French order is typed first; if the field read it month-first, Shift+Tab
    goes back to its first part and the month-first order is typed over it."""
    year, month, day = iso.split("-")
    keys.type(locator, f"{day}{month}{year}")
    if locator.input_value() != iso:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(f"{month}{day}{year}")
    expect(locator).to_have_value(iso)


def _sign_up_and_activate(journey, smtp_server):
    page = journey.open()
    keys = journey.keyboard(page)
    page.goto("/compte/signup/")
    journey.check(page, "signup")
    keys.type(page.get_by_label("Adresse électronique", exact=True), EMAIL)
    keys.type(page.get_by_label("Confirmez l'adresse électronique"), EMAIL)
    keys.type(page.get_by_label("Mot de passe", exact=True), PASSWORD)
    keys.type(page.get_by_label("Confirmez le mot de passe"), PASSWORD)
    keys.press(page.locator("#id_terms"), "Space")
    expect(page.locator("#id_terms")).to_be_checked()
    keys.press(page.get_by_role("button", name="Créer mon compte"))
    page.wait_for_url("**/compte/confirm-email/")
    journey.check(page, "verification-sent")

    body = _text(_mail_to(smtp_server, lambda m: "/compte/confirm-email/" in _text(m)))
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    journey.check(page, "activate")
    keys.press(page.get_by_role("button", name="Activer mon compte"))
    page.wait_for_url("**/compte/login/")
    journey.check(page, "login-after-activation")
    return page, keys


def _first_login_with_emailed_code(journey, smtp_server, page, keys):
    keys.type(page.get_by_label("Identifiant (adresse électronique)"), EMAIL)
    keys.type(page.get_by_label("Mot de passe", exact=True), PASSWORD)
    keys.press(page.get_by_role("button", name="Se connecter"))
    page.wait_for_url("**/compte/connexion/code/")
    journey.check(page, "emailed-code")
    message = _mail_to(smtp_server, lambda m: "code" in str(m["Subject"]).lower())
    code = re.search(r"\b(\d{6})\b", _text(message)).group(1)
    keys.type(page.get_by_label("Code de connexion"), code)
    keys.press(page.get_by_role("button", name="Valider"))
    page.wait_for_url("**/mes-demarches/")
    journey.check(page, "my-cases-first")


def _enrol_app(journey, page, keys):
    keys.press(page.get_by_role("link", name="Connexion et sécurité"))
    page.wait_for_url("**/compte/securite/")
    journey.check(page, "security")
    keys.press(page.get_by_role("link", name="Utiliser une application d'authentification"))
    page.wait_for_url("**/compte/securite/application/")
    journey.check(page, "totp-enrol")
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    keys.type(page.get_by_label("Code à 6 chiffres affiché par l'application"), totp.now())
    keys.press(page.get_by_role("button", name="Valider"))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    journey.check(page, "recovery-codes")
    keys.press(page.get_by_role("link", name="J'ai noté mes codes"))
    page.wait_for_url("**/compte/securite/")
    expect(page.locator("main")).to_contain_text("Il vous reste 10 codes de secours.")
    journey.check(page, "security-with-app")


def _personal_information(journey, page, keys):
    keys.press(page.get_by_role("link", name="Voir et modifier mes informations personnelles"))
    page.wait_for_url("**/compte/informations/")
    journey.check(page, "profile")
    keys.select(page.get_by_label("Civilité"), "Madame")
    keys.type(page.get_by_label("Nom de naissance"), "Fontaine")
    keys.type(page.get_by_label("Prénoms"), "Léa")
    _type_date(page, keys, page.get_by_label("Date de naissance"), "1990-05-17")
    keys.type(page.get_by_label(re.compile(r"^Adresse Facultatif")), "3 allée des Tilleuls")
    keys.type(page.get_by_label(re.compile(r"^Code postal Facultatif")), "35000")
    keys.type(page.get_by_label(re.compile(r"^Commune Facultatif")), "Rennes")
    keys.press(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("Vos informations ont été enregistrées.")).to_be_visible()
    journey.check(page, "profile-saved")


def _tax_notice_in_locker(journey, page, keys, tmp_path):
    tax_notice = tmp_path / "avis-impot-2025.pdf"
    tax_notice.write_bytes(pdf_bytes())
    menu = page.get_by_role("navigation", name="Menu principal")
    keys.press(menu.get_by_role("link", name="Mon porte-documents"))
    page.wait_for_url("**/porte-documents/")
    journey.check(page, "locker-empty")
    keys.press(page.get_by_role("link", name="Ajouter des documents"))
    page.wait_for_url("**/porte-documents/ajouter/")
    journey.check(page, "locker-upload")
    keys.choose_file(page.get_by_label("Fichiers"), [str(tax_notice)])
    keys.type(page.get_by_label("Nom du document"), "Mon avis d'impôt 2025")
    keys.select(page.get_by_label("Type de document"), "Avis d'imposition")
    keys.press(page.get_by_role("button", name="Ajouter", exact=True))
    page.wait_for_url("**/porte-documents/")
    expect(page.get_by_text("1 document ajouté à votre porte-documents.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mon avis d'impôt 2025")
    journey.check(page, "locker-one-document")


def _file_heating_aid(journey, page, keys, tmp_path) -> Case:
    identity_card = tmp_path / "carte-identite.png"
    identity_card.write_bytes(png_bytes((800, 500)))
    menu = page.get_by_role("navigation", name="Menu principal")
    keys.press(menu.get_by_role("link", name="Mes démarches"))
    page.wait_for_url("**/mes-demarches/")
    journey.check(page, "my-cases-empty")
    keys.press(page.get_by_role("link", name="Voir les démarches"))
    page.wait_for_url("**/faire-une-demarche/")
    journey.check(page, "procedures")
    keys.press(page.get_by_role("link", name="Aide départementale au chauffage"))
    page.wait_for_url("**/demarches/aide-chauffage/commencer/")
    journey.check(page, "procedure-start")
    keys.press(page.get_by_role("button", name="Commencer la démarche"))
    page.wait_for_url("**/demandes/brouillon/**")
    journey.check(page, "draft")

    # The personal information filled the draft in advance.
    expect(page.get_by_role("textbox", name="Prénom", exact=True)).to_have_value("Léa")
    expect(page.get_by_role("textbox", name="Nom", exact=True)).to_have_value("Fontaine")
    expect(page.get_by_label("Date de naissance")).to_have_value("1990-05-17")
    expect(page.get_by_label("Adresse du logement — Commune")).to_have_value("Rennes")
    keys.select(page.get_by_label("Situation familiale"), "En couple")
    keys.type(page.get_by_label("Nombre de personnes au foyer"), "2")
    keys.type(page.get_by_label("Revenu fiscal de référence (en euros)"), "21000")
    keys.select(page.get_by_label("Mode de chauffage"), "Bois")
    keys.type(
        page.get_by_label("IBAN du compte qui recevra l'aide"), "FR76 3000 6000 0112 3456 7890 189"
    )
    keys.choose_file(page.locator("#file__piece_identite"), [str(identity_card)])
    tax_notice = page.get_by_role("group", name="Dernier avis d'impôt").get_by_role(
        "checkbox", name="Mon avis d'impôt 2025"
    )
    keys.press(tax_notice, "Space")
    expect(tax_notice).to_be_checked()
    keys.press(page.get_by_role("button", name="Vérifier avant de déposer"))
    page.wait_for_url("**/verifier/")
    expect(page.locator("main")).to_contain_text("carte-identite.png")
    expect(page.locator("main")).to_contain_text("avis-impot-2025.pdf")
    journey.check(page, "review")
    keys.press(page.get_by_role("button", name="Déposer ma demande"))
    page.wait_for_url("**/deposee/")
    journey.check(page, "submitted")
    number = page.locator(".guichet-number").inner_text()
    case = Case.objects.get(number=number.replace("-", ""))
    assert sorted(case.files.values_list("name", flat=True)) == [
        "avis-impot-2025.pdf",
        "carte-identite.png",
    ]
    return case


def _instructor_logs_in(journey):
    instructor = make_instructor(INSTRUCTOR, "Olivier", "Garnier", "action-sociale")
    EmailAddress.objects.create(
        user=instructor, email=instructor.email, verified=True, primary=True
    )
    device = totp_device_start(user=instructor)
    totp = pyotp.TOTP(totp_secret(device))
    assert totp_device_confirm(device=device, code=totp.now()) is not None

    page = journey.open()
    keys = journey.keyboard(page)
    page.goto("/instruction/")
    page.wait_for_url("**/compte/login/?next=/instruction/")
    journey.check(page, "instructor-login")
    keys.type(page.get_by_label("Identifiant (adresse électronique)"), INSTRUCTOR)
    keys.type(page.get_by_label("Mot de passe", exact=True), STAFF_PASSWORD)
    keys.press(page.get_by_role("button", name="Se connecter"))
    page.wait_for_url("**/compte/connexion/code/")
    journey.check(page, "instructor-code")
    # The next step's code: the one that confirmed the app is never accepted again.
    keys.type(page.get_by_label("Code de connexion"), totp.at(int(time.time()) + 30))
    keys.press(page.get_by_role("button", name="Valider"))
    page.wait_for_url("**/instruction/")
    journey.check(page, "queue")
    return page, keys


def _open_case_from_queue(journey, page, keys, case, label):
    keys.press(page.get_by_role("link", name=case.display_number, exact=True))
    page.wait_for_url(f"**/instruction/demandes/{case.number}/")
    journey.check(page, label)


def _applicant_opens_case(journey, page, keys, case, label, *, finished=False):
    menu = page.get_by_role("navigation", name="Menu principal")
    keys.press(menu.get_by_role("link", name="Mes démarches"))
    page.wait_for_url("**/mes-demarches/")
    journey.check(page, f"{label}-my-cases")
    if finished:  # a decided demande is under "Terminées"
        keys.press(page.get_by_role("link", name="Terminées"))
        page.wait_for_url("**/mes-demarches/?onglet=terminees")
        journey.check(page, f"{label}-my-cases-finished")
    keys.press(page.get_by_role("link", name=case.display_number, exact=True))
    page.wait_for_url(f"**/demandes/{case.number}/")
    journey.check(page, label)


def _open_tab(journey, page, keys, name, label):
    tab = page.get_by_role("tab", name=re.compile(f"^{name}"))
    keys.select_tab(tab)
    expect(tab).to_have_attribute("aria-selected", "true")
    journey.check(page, label)
    return page.locator(f"#{tab.get_attribute('aria-controls')}")


def test_applicant_from_nothing_to_decision(journey, smtp_server, tmp_path):
    call_command("seed_demo", stdout=StringIO())

    applicant, keys = _sign_up_and_activate(journey, smtp_server)
    _first_login_with_emailed_code(journey, smtp_server, applicant, keys)
    _enrol_app(journey, applicant, keys)
    _personal_information(journey, applicant, keys)
    _tax_notice_in_locker(journey, applicant, keys, tmp_path)
    case = _file_heating_aid(journey, applicant, keys, tmp_path)

    # The instructor takes the demande and asks for a document.
    instructor, staff_keys = _instructor_logs_in(journey)
    _open_case_from_queue(journey, instructor, staff_keys, case, "instruction-case")
    staff_keys.press(instructor.get_by_role("button", name="Prendre ce dossier"))
    expect(instructor.get_by_text("Vous avez pris ce dossier.")).to_be_visible()
    journey.check(instructor, "instruction-taken")
    request_form = instructor.locator(
        "form", has=instructor.get_by_role("button", name="Envoyer la demande d'information")
    )
    staff_keys.type(
        request_form.get_by_label("Votre message à l'usager"),
        "Bonjour, merci de joindre votre attestation de la caisse d'allocations familiales.",
    )
    staff_keys.press(request_form.get_by_role("button", name="Envoyer la demande d'information"))
    expect(instructor.locator("#etat")).to_have_text("En attente de l'usager")
    journey.check(instructor, "instruction-awaiting")

    # The applicant is told by email, then replies with a PDF from their demande's page.
    question = f"Le service vous pose une question sur la demande {case.display_number}"
    _mail_to(smtp_server, lambda m: str(m["Subject"]) == question)
    attestation = tmp_path / "attestation-caf.pdf"
    attestation.write_bytes(pdf_bytes())
    _applicant_opens_case(journey, applicant, keys, case, "case-awaiting")
    panel = _open_tab(journey, applicant, keys, "Messagerie", "case-messages")
    expect(panel).to_contain_text("attestation de la caisse d'allocations familiales")
    keys.type(
        panel.get_by_role("textbox", name="Votre message", exact=True), "Voici mon attestation."
    )
    keys.choose_file(panel.locator("#fichiers-reponse"), [str(attestation)])
    keys.press(panel.get_by_role("button", name="Envoyer mon message"))
    applicant.wait_for_url(f"**/demandes/{case.number}/?onglet=messagerie")
    expect(applicant.locator("#panneau-messagerie")).to_contain_text("attestation-caf.pdf")
    journey.check(applicant, "case-replied")

    # The instructor finds the reply, takes the demande again and accepts it with the letter.
    staff_keys.press(instructor.get_by_role("link", name="Retour aux demandes"))
    instructor.wait_for_url("**/instruction/")
    journey.check(instructor, "queue-after-reply")
    _open_case_from_queue(journey, instructor, staff_keys, case, "instruction-replied")
    expect(instructor.locator("#etat")).to_have_text("En instruction")
    expect(instructor.locator("#discussion")).to_contain_text("Voici mon attestation.")
    expect(instructor.locator("#discussion")).to_contain_text("attestation-caf.pdf")
    staff_keys.press(instructor.get_by_role("button", name="Prendre ce dossier"))
    expect(instructor.get_by_text("Vous avez pris ce dossier.")).to_be_visible()
    journey.check(instructor, "instruction-taken-again")
    staff_keys.press(
        instructor.get_by_role("button", name="La demande est complète : passer à la décision")
    )
    expect(instructor.get_by_role("heading", name="Décision", exact=True)).to_be_visible()
    journey.check(instructor, "instruction-decide")
    accept = instructor.get_by_role("radio", name="Accepter")
    staff_keys.press(accept, "Space")
    expect(accept).to_be_checked()
    letter = instructor.get_by_role(
        "checkbox", name="Joindre le courrier de décision rédigé à partir du modèle de la démarche"
    )
    staff_keys.press(letter, "Space")
    expect(letter).to_be_checked()
    staff_keys.press(instructor.get_by_role("button", name="Enregistrer la décision"))
    expect(instructor.locator("#etat")).to_have_text("Acceptée")
    letter_name = f"courrier-decision-{case.number}.pdf"
    expect(instructor.locator("#discussion")).to_contain_text(letter_name)
    journey.check(instructor, "instruction-decided")

    # The applicant is told, reads the decision in the timeline, the letter in the messages
    # and finds it in their porte-documents.
    accepted = f"Votre demande {case.display_number} est acceptée"
    _mail_to(smtp_server, lambda m: str(m["Subject"]) == accepted)
    _applicant_opens_case(journey, applicant, keys, case, "case-decided", finished=True)
    expect(applicant.locator("main .fr-badge").first).to_have_text("Acceptée")
    history = _open_tab(journey, applicant, keys, "Historique", "case-history")
    expect(history).to_contain_text("Décision (Acceptée)")
    messages = _open_tab(journey, applicant, keys, "Messagerie", "case-decision-message")
    expect(messages).to_contain_text("Décision : Acceptée.")
    expect(messages.get_by_role("link", name=letter_name)).to_be_visible()
    menu = applicant.get_by_role("navigation", name="Menu principal")
    keys.press(menu.get_by_role("link", name="Mon porte-documents"))
    applicant.wait_for_url("**/porte-documents/")
    journey.check(applicant, "locker-with-letter")
    decisions = applicant.get_by_role("table", name="Décision reçue")
    expect(decisions).to_contain_text(letter_name)
    expect(decisions).to_contain_text(
        f"Reçu de la démarche Aide départementale au chauffage ({case.display_number})"
    )
    # The letter says the decision, drawn from the procedure's template.
    with applicant.expect_download() as download:
        keys.press(decisions.get_by_role("link", name=re.compile("^Télécharger")))
    shown = pdf_shown_text(Path(download.value.path()).read_bytes())
    assert f"(demande {case.display_number})" in shown, shown
    assert ": Acceptée." in shown, shown

    journey.finish()

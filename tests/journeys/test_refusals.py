"""Journey 4 — the refusals a person sees: answering the service on their demande, they
join an oversize file, a PDF protected by a password and an HTML page named like a PDF.
Nothing is sent; each file is named with its own reason, the text typed is still there;
once the files are put right, the same text goes to the service."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case, CaseEvent, CaseMessage
from tests.journeys.conftest import JOURNEY_MARKS
from tests.locker.corpus.pdfs import MIB, pdf_encrypted, pdf_of_size
from tests.support.client import CommitClient
from tests.support.files import pdf_bytes
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft
from tests.support.instruction import human_task, make_instructor
from workflows import services as instruction

pytestmark = JOURNEY_MARKS

EMAIL = "gerant@boulangerie.example"
TYPED = "Voici mon bilan 2025 et le bail du local, comme demandé. Bonne journée."
# The demande limit of the served settings (GUICHET_UPLOAD_MAX_BYTES["demande"]): 5 Mo.
OVERSIZE = 5 * MIB + 1
REFUSALS = {
    "bilan-2025.pdf": "Ce fichier dépasse la taille maximale de 5\u00a0Mo. Réduisez-le (par "
    "exemple en l'enregistrant en qualité plus basse ou en le découpant) puis réessayez.",
    "bail-protege.pdf": "Ce fichier PDF est protégé par un mot de passe : enregistrez-en une "
    "copie sans mot de passe puis réessayez.",
    "releve.pdf": "Ce type de fichier n'est pas accepté. Envoyez un fichier PDF, PNG ou JPEG.",
}


def filed_and_asked() -> Case:
    """A declaration filed without an account (its email already confirmed: journey 2
    goes through the code), then a question of the service that opens the discussion."""
    client = CommitClient()
    case = start_draft(client, "declaration-activite")
    client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**ACTIVITY_ANSWERS, "email": EMAIL, "file__kbis": pdf_upload("kbis.pdf")},
    )
    Case.objects.filter(pk=case.pk).update(email_verified=True, applicant_email=EMAIL)
    assert (
        client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"}).status_code == 302
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    instructor = make_instructor(
        "chloe.morel@eco.example", "Chloé", "Morel", "developpement-economique"
    )
    task = instruction.task_take(task=human_task(case), user=instructor)
    instruction.task_request_information(
        task=task, user=instructor, body="Merci d'envoyer votre dernier bilan et votre bail."
    )
    return case


def test_refused_files_in_the_discussion_each_say_why_and_keep_the_text(
    journey, smtp_server, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    case = filed_and_asked()
    question = smtp_server.wait_for(
        lambda m: m["To"] == EMAIL and "Le service vous pose une question" in str(m["Subject"]),
        timeout=30,
    )
    text = question.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/suivre/lien/\S+", text).group(0)

    oversize, encrypted, disguised = (tmp_path / name for name in REFUSALS)
    oversize.write_bytes(pdf_of_size(OVERSIZE))
    encrypted.write_bytes(pdf_encrypted(user="secret"))
    disguised.write_bytes(
        b"<!DOCTYPE html><html><head><title>Relev\xc3\xa9</title></head>"
        b"<body><script>alert(1)</script></body></html>"
    )
    good = tmp_path / "bilan-2025-leger.pdf"
    good.write_bytes(pdf_bytes(pages=2))

    page = journey.open()
    page.goto(urlsplit(link).path)  # the link of the email, on the journey's server
    page.wait_for_url(f"**/demandes/{case.number}/")
    journey.check(page, "demande-awaiting")
    expect(page.locator("html[data-fr-js]")).to_have_count(1)  # DSFR styles and scripts
    page.get_by_role("tab", name="Messagerie").click()
    messaging = page.get_by_role("tabpanel", name=re.compile("^Messagerie"))
    expect(messaging).to_be_visible()
    journey.check(page, "demande-messaging")

    messaging.get_by_label("Votre message").fill(TYPED)
    messaging.get_by_label("Joindre des documents (facultatif)").set_input_files(
        [str(oversize), str(encrypted), str(disguised)]
    )
    messaging.get_by_role("button", name="Envoyer mon message").click()
    alert = page.get_by_role("alert").filter(has_text="Votre message n'est pas encore envoyé")
    expect(alert).to_be_visible()
    journey.check(page, "reply-refused")

    # Each refused file, named, with its own reason; the text typed is kept.
    reasons = alert.get_by_role("listitem")
    expect(reasons).to_have_count(len(REFUSALS))
    shown = {item.split(" : ", 1)[0]: item.split(" : ", 1)[1] for item in reasons.all_inner_texts()}
    assert shown == REFUSALS
    expect(alert).to_contain_text("Votre texte est conservé")
    expect(messaging.get_by_label("Votre message")).to_have_value(TYPED)
    assert not CaseMessage.objects.filter(case=case, author_role=CaseEvent.Role.APPLICANT).exists()

    # Files put right, the same text is sent.
    messaging = page.get_by_role("tabpanel", name=re.compile("^Messagerie"))
    messaging.get_by_label("Joindre des documents (facultatif)").set_input_files(str(good))
    messaging.get_by_role("button", name="Envoyer mon message").click()
    expect(page.get_by_text("Votre message est envoyé au service.")).to_be_visible()
    journey.check(page, "reply-sent")
    expect(messaging.get_by_text(TYPED)).to_be_visible()
    expect(messaging.get_by_role("link", name="bilan-2025-leger.pdf")).to_be_visible()
    reply = CaseMessage.objects.get(case=case, author_role=CaseEvent.Role.APPLICANT)
    assert reply.body == TYPED
    assert [f.name for f in reply.files.all()] == ["bilan-2025-leger.pdf"]

    journey.finish()

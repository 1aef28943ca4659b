"""Expert opinions (ADR 0408) through the real views: the instructor asks, the expert
enrols from the single-use link and answers with a file, the instructor reads it; the
decision never waits and closes the avis still awaited; reminders."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from identity.models import User
from locker import vault
from tests.support.avis import EXPERT, ask, enrol, link_in
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.files import pdf_bytes
from tests.support.filing import pdf_upload
from tests.support.instruction import act, checked_case, open_tasks
from workflows.avis.services import avis_remind_due
from workflows.models import Avis
from workflows.services import instructions_decide_due

from .test_exports import csv_rows, export

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(applicant_client, instructor_client):
    return checked_case(applicant_client, instructor_client)


def test_ask_enrol_answer_with_a_file_and_the_instructor_reads_it(
    case, instructor, instructor_client, applicant_client, mailoutbox
):
    recto, tax_notice = case.files.get(name="recto.png"), case.files.get(name="avis.pdf")
    avis = ask(instructor_client, case, share=[recto], yes_no="on")
    assert (avis.status, avis.asked_by, avis.yes_no) == (Avis.Status.PENDING, instructor, True)
    # The flow is untouched: the instructor's task is still open, nothing waits on the avis.
    assert [node for node, _status in open_tasks(case)] == ["check"]
    invitation = next(m for m in mailoutbox if m.to == [EXPERT])
    assert "isolation" not in invitation.body  # the question is read on the site only
    assert not invitation.alternatives  # plain text: nothing typed lands in HTML
    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert "1 expert n'a pas encore répondu" in page
    assert f"Avis demandé ({EXPERT})" in page  # the instructors' timeline

    link = link_in(mailoutbox)
    expert_client = enrol(link)
    expert = User.objects.get(email=EXPERT)
    assert expert.emailaddress_set.get().verified
    # Single use: the link has served.
    used = expert_client.get(link)
    assert used.status_code == 404
    assert "Ce lien a déjà servi" in page_text(used)

    listing = page_text(expert_client.get("/avis/"))
    assert case.display_number in listing
    assert "En attente de réponse" in listing
    detail = page_text(expert_client.get(f"/avis/{avis.pk}/"))
    assert "normes d'isolation" in detail
    assert "recto.png" in detail
    assert "avis.pdf" not in detail  # not shared
    shared = expert_client.get(f"/avis/{avis.pk}/documents/{recto.pk}/")
    assert shared.status_code == 200
    assert shared["Content-Disposition"].startswith("attachment")
    assert expert_client.get(f"/avis/{avis.pk}/documents/{tax_notice.pk}/").status_code == 404

    response = expert_client.post(
        f"/avis/{avis.pk}/repondre/",
        {"choice": "yes", "answer": "Conforme, voir mon rapport.", "files": [pdf_upload("r.pdf")]},
    )
    assert response.status_code == 302, page_text(response)
    avis.refresh_from_db()
    assert (avis.status, avis.answer_choice) == (Avis.Status.ANSWERED, "yes")
    answer_file = avis.files.get()
    assert vault.raw(answer_file.storage_key) != pdf_bytes()  # through the vault, encrypted
    assert "Rendu" in page_text(expert_client.get("/avis/"))
    told = [m for m in mailoutbox if m.to == [instructor.email]]
    assert [m.subject for m in told] == [
        f"Demande {case.display_number} : l'expert a rendu son avis"
    ]

    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert "Conforme, voir mon rapport." in page
    assert "Réponse : Oui" in page
    assert "Avis rendu (" in page
    url = f"/instruction/demandes/{case.number}/avis/{avis.pk}/fichiers/{answer_file.pk}/"
    download = instructor_client.get(url)
    assert download.status_code == 200
    assert b"".join(download) == vault.read(case.data_key, answer_file.storage_key)
    # Answered once: a second answer is refused.
    again = expert_client.post(f"/avis/{avis.pk}/repondre/", {"choice": "no", "answer": "Non"})
    assert again.status_code == 302
    avis.refresh_from_db()
    assert avis.answer == "Conforme, voir mon rapport."


def test_a_refused_file_keeps_the_text_and_stores_nothing(case, instructor_client, mailoutbox):
    avis = ask(instructor_client, case)
    expert_client = enrol(link_in(mailoutbox))
    fake = pdf_upload("faux.pdf")
    fake.file.write(b"not a pdf")
    fake.file.seek(0)
    response = expert_client.post(
        f"/avis/{avis.pk}/repondre/", {"answer": "Mon texte", "files": [fake]}
    )
    assert response.status_code == 400
    assert "Mon texte" in page_text(response)
    assert "ne sont pas acceptés" in page_text(response)
    avis.refresh_from_db()
    assert avis.status == Avis.Status.PENDING
    assert not avis.files.exists()


def test_the_decision_does_not_wait_and_closes_the_pending_avis(
    case, instructor_client, mailoutbox
):
    avis = ask(instructor_client, case)
    link = link_in(mailoutbox)
    expert_client = enrol(link)
    second = ask(instructor_client, case, email="autre.expert@labo.example")
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted")
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    avis.refresh_from_db()
    second.refresh_from_db()
    assert avis.status == second.status == Avis.Status.CLOSED
    # Closed: the expert no longer reads the demande, the unused link says why.
    assert expert_client.get(f"/avis/{avis.pk}/").status_code == 404
    assert "Clôturé" in page_text(expert_client.get("/avis/"))
    refused = instructor_client.get(link_in(mailoutbox, "autre.expert@labo.example"))
    assert "La demande a été décidée" in page_text(refused)
    ended = [m.subject for m in mailoutbox if m.to == [EXPERT]]
    assert ended[-1] == f"Dossier {case.display_number} : votre avis n'est plus attendu"
    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert "Demande d'avis clôturée" in page
    assert "Demander un avis à un expert" not in page  # decided: no new request


def test_reminders_by_the_instructor_and_once_at_the_deadline(case, instructor_client, mailoutbox):
    avis = ask(instructor_client, case)
    response = instructor_client.post(
        f"/instruction/demandes/{case.number}/avis/{avis.pk}/relancer/"
    )
    assert response.status_code == 302
    reminders = [m for m in mailoutbox if m.to == [EXPERT] and m.subject.startswith("Rappel")]
    assert len(reminders) == 1
    assert "/avis/invitation/" in reminders[0].body
    assert avis_remind_due() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert avis_remind_due() == 1
        assert avis_remind_due() == 0  # one automatic reminder per avis
    assert "Expert relancé" in page_text(
        instructor_client.get(f"/instruction/demandes/{case.number}/")
    )


def test_ask_refuses_a_past_date_and_shows_the_form_again(case, instructor_client):
    response = instructor_client.post(
        f"/instruction/demandes/{case.number}/avis/",
        {"avis-email": EXPERT, "avis-question": "Question ?", "avis-due_on": "2020-01-01"},
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "La date de réponse est déjà passée." in page
    assert "Question ?" in page
    assert not Avis.objects.exists()


def test_the_export_counts_the_avis_asked_and_answered(case, instructor_client, mailoutbox):
    answered = ask(instructor_client, case)
    ask(instructor_client, case, email="autre.expert@labo.example", confidential="on")
    expert_client = enrol(link_in(mailoutbox))
    expert_client.post(f"/avis/{answered.pk}/repondre/", {"answer": "Conforme."})
    header, *rows = csv_rows(instructor_client, export(instructor_client, "csv", onglet="tous"))
    row = next(r for r in rows if r[0] == case.display_number)
    assert row[header.index("Avis d'experts demandés")] == "2"
    assert row[header.index("Avis d'experts rendus")] == "1"
    assert "Conforme." not in ";".join(row)  # counts only: the text stays on the demande page


def test_an_implicit_decision_closes_the_pending_avis_too(
    demo_procedures, applicant, instructor_client, mailoutbox
):
    procedure = demo_procedures["aide-chauffage"]
    procedure.implicit_decision, procedure.implicit_decision_days = "sva", 30
    procedure.save()
    case = CaseFactory(in_instruction=True, applicant=applicant)
    avis = ask(instructor_client, case)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert instructions_decide_due() == 1
    case.refresh_from_db()
    avis.refresh_from_db()
    assert (case.status, avis.status) == (Case.Status.ACCEPTED, Avis.Status.CLOSED)

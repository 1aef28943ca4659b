"""The instruction flow driven through the real views: instructor task views and the
applicant's reply view. After each step: Case.status and the open viewflow tasks."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from cases.models import Case, CaseEvent
from tests.support.client import page_text
from tests.support.filing import pdf_upload
from tests.support.instruction import (
    act,
    checked_case,
    file_heating_aid,
    human_task,
    open_tasks,
    reply,
    take,
)

pytestmark = pytest.mark.django_db

NEW, ASSIGNED, SCHEDULED = STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED
WAITING = [("wait_applicant", NEW), ("wait_applicant__timeout", SCHEDULED)]


def test_full_loop_with_deferred_document_requests_reminder_and_acceptance(
    applicant_client,
    instructor,
    instructor_client,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.GUICHET_REPLY_REMINDER_DAYS = 10
    # Filed with the tax notice ticked "plus tard": automatic request, no instructor task.
    case = file_heating_aid(applicant_client)
    assert case.status == Case.Status.AWAITING_APPLICANT
    assert open_tasks(case) == WAITING
    request = case.thread.get()
    assert request.author_role == CaseEvent.Role.SYSTEM
    assert "Dernier avis d'impôt" in request.body
    assert human_task(case) is None

    # The applicant sends the missing document through their reply view.
    page = page_text(applicant_client.get(f"/demandes/{case.number}/?onglet=messagerie"))
    assert 'name="document__avis_imposition"' in page
    reply(applicant_client, case, avis_imposition=pdf_upload("avis-2025.pdf"))
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert case.files.filter(field_name="avis_imposition").count() == 1
    assert open_tasks(case) == [("check", NEW)]

    # Check → request information (with a file) → the applicant answers → check again.
    take(instructor_client, case)
    assert open_tasks(case) == [("check", ASSIGNED)]
    act(
        instructor_client,
        case,
        "request",
        body="Merci de préciser votre mode de chauffage.",
        files=[pdf_upload("notice.pdf")],
    )
    assert case.status == Case.Status.AWAITING_APPLICANT
    assert open_tasks(case) == WAITING
    assert case.thread.last().files.get().name == "notice.pdf"
    reply(applicant_client, case, body="Chauffage au gaz de ville.")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]

    # Request again; no answer: after N days the timer reminds the applicant.
    take(instructor_client, case)
    act(instructor_client, case, "request", body="Il manque la page 2 de l'avis.")
    assert open_tasks(case) == WAITING
    assert fire_due_timers() == 0
    mails_before = len(mailoutbox)
    with (
        time_machine.travel(timezone.now() + timedelta(days=10, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert fire_due_timers() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_APPLICANT
    assert open_tasks(case) == [
        ("wait_after_reminder", NEW),
        ("wait_after_reminder__timeout", SCHEDULED),
    ]
    assert case.events.filter(kind=CaseEvent.Kind.REMINDER).count() == 1
    assert "Rappel" in mailoutbox[mails_before].subject

    # The reply after the reminder goes back to check; complete → decide → accepted.
    reply(applicant_client, case, body="La voici.", avis_imposition=pdf_upload("page2.pdf"))
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]
    take(instructor_client, case)
    act(instructor_client, case, "complete")
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("decide", ASSIGNED)]  # the checker keeps the demande
    act(instructor_client, case, "decide", decision="accepted", reason="")
    assert case.status == Case.Status.ACCEPTED
    assert open_tasks(case) == []
    assert case.instruction_processes.get().status == "DONE"
    assert mailoutbox[-1].subject == f"Votre demande {case.display_number} est acceptée"


def test_refused_needs_a_reason_and_reaches_the_applicant(
    applicant_client, instructor, instructor_client
):
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "complete")
    response = instructor_client.post(
        f"/instruction/taches/{human_task(case).pk}/agir/",
        {"action": "decide", "decision": "refused", "reason": " "},
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in page_text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("decide", ASSIGNED)]

    act(
        instructor_client,
        case,
        "decide",
        decision="refused",
        reason="Revenus au-dessus du plafond.",
        document=pdf_upload("decision.pdf"),
    )
    assert case.status == Case.Status.REFUSED
    assert open_tasks(case) == []
    page = page_text(applicant_client.get(f"/demandes/{case.number}/?onglet=messagerie"))
    assert "Revenus au-dessus du plafond." in page
    assert "decision.pdf" in page


def test_closed_without_follow_up_then_reopened(applicant_client, instructor, instructor_client):
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="closed", reason="Demande en double.")
    assert case.status == Case.Status.CLOSED
    assert open_tasks(case) == []

    response = instructor_client.post(f"/instruction/demandes/{case.number}/rouvrir/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]
    assert case.instruction_processes.count() == 2
    assert case.events.filter(kind=CaseEvent.Kind.REOPENED).exists()


def test_reopen_after_acceptance_and_decide_again(applicant_client, instructor, instructor_client):
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted")
    assert case.status == Case.Status.ACCEPTED
    instructor_client.post(f"/instruction/demandes/{case.number}/rouvrir/")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]
    take(instructor_client, case)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="refused", reason="Erreur de calcul.")
    assert case.status == Case.Status.REFUSED
    assert open_tasks(case) == []


def test_no_answer_after_the_reminder_gives_the_instructor_a_task(
    applicant_client, instructor, instructor_client, settings
):
    settings.GUICHET_REPLY_REMINDER_DAYS = 7
    settings.GUICHET_REPLY_NO_ANSWER_DAYS = 7
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "request", body="Envoyez votre RIB.")
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=7, minutes=1)):
        assert fire_due_timers() == 1
    with time_machine.travel(start + timedelta(days=14, minutes=2)):
        assert fire_due_timers() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_APPLICANT
    assert open_tasks(case) == [("no_answer", NEW)]
    take(instructor_client, case)
    act(instructor_client, case, "decide", decision="closed", reason="Pas de réponse.")
    assert case.status == Case.Status.CLOSED
    assert open_tasks(case) == []


def test_a_late_reply_during_no_answer_goes_back_to_the_service_and_stops_reminders(
    applicant_client, instructor, instructor_client, settings
):
    settings.GUICHET_REPLY_REMINDER_DAYS = 3
    settings.GUICHET_REPLY_NO_ANSWER_DAYS = 3
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "request", body="Envoyez votre RIB.")
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=3, minutes=1)):
        fire_due_timers()
    with time_machine.travel(start + timedelta(days=6, minutes=2)):
        fire_due_timers()
    assert open_tasks(case) == [("no_answer", NEW)]

    assert _tabs_showing(instructor, case) == {"a_traiter", "attente", "tous"}

    reply(applicant_client, case, body="Désolé du retard, voici mon RIB.")
    # The reply gives the demande back to the service at once, in its own transaction:
    # one tab ("à traiter", where the "no answer" task is), no more reminders.
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("no_answer", NEW)]
    assert _tabs_showing(instructor, case) == {"a_traiter", "tous"}
    reminders = case.events.filter(kind=CaseEvent.Kind.REMINDER).count()
    with time_machine.travel(start + timedelta(days=30)):
        assert fire_due_timers() == 0
    assert case.events.filter(kind=CaseEvent.Kind.REMINDER).count() == reminders

    take(instructor_client, case)
    act(instructor_client, case, "resume")
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]


def _tabs_showing(instructor, case) -> set[str]:
    from workflows.selectors import TABS, queue_list

    return {
        tab
        for tab in TABS
        if case.pk in {row.pk for row in queue_list(user=instructor, tab=tab, filters={})}
    }


def test_a_demande_whose_instruction_did_not_start_is_picked_up_by_the_timer_job(
    applicant_client, instructor
):
    from cases.signals import case_submitted
    from workflows import receivers
    from workflows.tasks import fire_timers

    # A start that failed after the submission committed.
    case_submitted.disconnect(sender=Case, dispatch_uid="workflows_start_instruction")
    try:
        case = file_heating_aid(applicant_client, defer_tax_notice=False)
    finally:
        case_submitted.connect(
            receivers.start_instruction, sender=Case, dispatch_uid="workflows_start_instruction"
        )
    assert case.status == Case.Status.SUBMITTED
    assert open_tasks(case) == []
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        fire_timers.delay()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", NEW)]


def test_decision_letter_generated_from_the_procedure_template(
    applicant, applicant_client, instructor, instructor_client
):
    from cases.models import CaseFile
    from identity.selectors import space_personal_for
    from locker.models import Document
    from tests.support.files import pdf_text

    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "complete")
    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert "Joindre le courrier de décision rédigé à partir du modèle" in page
    act(
        instructor_client,
        case,
        "decide",
        decision="refused",
        reason="Revenus au-dessus du plafond.",
        generate_letter="on",
    )
    assert case.status == Case.Status.REFUSED
    letter = CaseFile.objects.get(case=case, name=f"courrier-decision-{case.number}.pdf")
    download = applicant_client.get(f"/demandes/{case.number}/fichiers/{letter.pk}/")
    text = pdf_text(b"".join(download))
    assert case.display_number in text
    assert "Revenus au-dessus du plafond." in text
    received = Document.objects.get(space=space_personal_for(user=applicant), kind="decision")
    assert received.file_name == letter.name

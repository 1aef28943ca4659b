"""The factories' demandes (tests/support/factories.py): one trait per status, each with the
open tasks its status allows, and the same timeline, messages, files and open tasks as a
demande taken to that status through the real views."""

import pytest
from viewflow.workflow.status import STATUS

from cases.models import Case
from tests.support.factories import REASONS, CaseFactory
from tests.support.filing import AID_ANSWERS, pdf_upload, png_upload, start_draft
from tests.support.instruction import act, checked_case, file_heating_aid, open_tasks
from workflows.consistency import disagreement

pytestmark = pytest.mark.django_db

Status = Case.Status
NEW, ASSIGNED, SCHEDULED = STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED
WAITING = [("wait_applicant", NEW), ("wait_applicant__timeout", SCHEDULED)]
OPEN_TASKS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [],
    Status.IN_INSTRUCTION: [("check", NEW)],
    Status.AWAITING_APPLICANT: WAITING,
    Status.ACCEPTED: [],
    Status.REFUSED: [],
    Status.CLOSED: [],
}
QUESTION = "Merci d'envoyer votre RIB."


def test_there_is_one_trait_per_status():
    assert set(CaseFactory._meta.parameters) >= set(Status)


@pytest.mark.parametrize("status", list(Status))
def test_each_trait_gives_its_status_and_the_tasks_it_allows(status, applicant, instructor):
    case = CaseFactory(**{status: True}, applicant=applicant)
    assert case.status == status
    assert open_tasks(case) == OPEN_TASKS[status]
    assert disagreement(case) is None
    assert (case.number is None) == (status == Status.DRAFT)
    if status in Case.FINISHED:
        assert case.decision_reason == REASONS[status]
        assert case.instruction_processes.get().status == "DONE"


def test_a_trait_works_without_any_fixture():
    """The démarche is seeded, the applicant and the instructor made, when missing."""
    case = CaseFactory(accepted=True)
    assert case.status == Status.ACCEPTED
    decider = case.events.get(kind="decision").actor
    assert case.procedure.service.instructors.filter(pk=decider.pk).exists()


def test_options_deferred_documents_taken_and_checked(applicant, instructor):
    waiting = CaseFactory(awaiting_applicant=True, deferred=True, applicant=applicant)
    assert open_tasks(waiting) == WAITING
    assert [m.author_role for m in waiting.thread.all()] == ["system"]
    assert disagreement(waiting) is None

    sent_later = CaseFactory(in_instruction=True, deferred=True, applicant=applicant)
    assert open_tasks(sent_later) == [("check", NEW)]
    assert sent_later.files.filter(field_name="avis_imposition").count() == 1
    assert disagreement(sent_later) is None

    taken = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    assert open_tasks(taken) == [("check", ASSIGNED)]
    assert taken.events.filter(status=Status.IN_INSTRUCTION).count() == 1
    assert disagreement(taken) is None

    checked = CaseFactory(in_instruction=True, checked=True, instructor=instructor)
    assert open_tasks(checked) == [("decide", ASSIGNED)]
    assert disagreement(checked) is None

    batch = CaseFactory.create_batch(3, in_instruction=True, applicant=applicant)
    assert len({case.number for case in batch}) == 3


def through_views(status, applicant_client, instructor_client) -> Case:
    """The same demande taken to ``status`` through the applicant's and the instructor's
    views (tests/support/instruction.py)."""
    if status == Status.DRAFT:
        case = start_draft(applicant_client, "aide-chauffage")
        data = {
            **AID_ANSWERS,
            "file__piece_identite": [png_upload("recto.png")],
            "file__avis_imposition": [pdf_upload("avis.pdf")],
        }
        assert applicant_client.post(f"/demandes/brouillon/{case.pk}/", data).status_code == 302
        return case
    if status == Status.SUBMITTED:
        from cases.signals import case_submitted
        from workflows import receivers

        uid = "workflows_start_instruction"
        case_submitted.disconnect(sender=Case, dispatch_uid=uid)
        try:
            return file_heating_aid(applicant_client, defer_tax_notice=False)
        finally:
            case_submitted.connect(receivers.start_instruction, sender=Case, dispatch_uid=uid)
    if status == Status.IN_INSTRUCTION:
        return file_heating_aid(applicant_client, defer_tax_notice=False)
    case = checked_case(applicant_client, instructor_client)
    if status == Status.AWAITING_APPLICANT:
        act(instructor_client, case, "request", body=QUESTION)
        return case
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision=status, reason=REASONS[status])
    return case


def record(case: Case) -> dict:
    """What a demande's history is made of, without its ids and times."""
    case.refresh_from_db()
    return {
        "status": case.status,
        "answers": case.answers,
        "discussion_open": case.discussion_open,
        "decision_reason": case.decision_reason,
        "events": [
            (e.kind, e.actor_role, e.status, e.actor.email if e.actor else None)
            for e in case.events.select_related("actor")
        ],
        "messages": [(m.author_role, m.body) for m in case.thread.all()],
        "files": sorted(
            (f.field_name, f.name, f.uploaded_by_role, f.message_id is None)
            for f in case.files.all()
        ),
        "open_tasks": open_tasks(case),
        "processes": [p.status for p in case.instruction_processes.order_by("pk")],
    }


@pytest.mark.parametrize("status", list(Status))
def test_a_trait_is_the_demande_the_views_make(
    status, applicant, applicant_client, instructor, instructor_client
):
    viewed = record(through_views(status, applicant_client, instructor_client))
    built = CaseFactory(
        **{status: True}, applicant=applicant, instructor=instructor, question=QUESTION
    )
    assert record(built) == viewed

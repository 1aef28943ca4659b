"""Every state change of a demande reaches the applicant by email, with the outcome in the
subject; only the same event enqueued twice is sent once."""

import pytest

from cases import services
from tests.support.factories import CaseFactory
from tests.support.instruction import act, take

pytestmark = pytest.mark.django_db


def _subjects(mailoutbox, case):
    return [m.subject for m in mailoutbox if m.to == [case.applicant_email]]


def test_accept_reopen_refuse_within_a_minute_are_three_emails(
    instructor, instructor_client, mailoutbox
):
    case = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    act(instructor_client, case, "complete")
    before = len(_subjects(mailoutbox, case))

    act(instructor_client, case, "decide", decision="accepted")
    reopened = instructor_client.post(f"/instruction/demandes/{case.number}/rouvrir/")
    assert reopened.status_code == 302
    take(instructor_client, case)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="refused", reason="Erreur de calcul.")

    number = case.display_number
    assert _subjects(mailoutbox, case)[before:] == [
        f"Votre demande {number} est acceptée",
        f"Votre demande {number} est de nouveau à l'étude",
        f"Votre demande {number} est refusée",
    ]
    assert "Refusée" in mailoutbox[-1].body


def test_the_same_decision_notified_twice_is_one_email(
    instructor, instructor_client, mailoutbox, django_capture_on_commit_callbacks
):
    case = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="closed", reason="Demande en double.")
    sent = _subjects(mailoutbox, case)
    assert sent[-1] == f"Votre demande {case.display_number} est classée sans suite"

    # The flow's notification step runs again for the same decision (a retried task).
    with django_capture_on_commit_callbacks(execute=True):
        services.case_notify_decision(case=case)

    assert _subjects(mailoutbox, case) == sent

"""A demande's status owns its state; the flow follows (ADR 0403). ``check_instruction``
lists the demandes whose open tasks disagree with their status and repairs what it can."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from cases.signals import applicant_replied, case_submitted
from identity.models import Notification
from tests.support.factories import CaseFactory
from tests.support.instruction import file_heating_aid, open_tasks
from workflows import tasks
from workflows.flows import OPEN_NODES_BY_STATUS, InstructionFlow
from workflows.models import CaseProcess, InstructorPreferences
from workflows.receivers import complete_waiting_task, start_instruction

pytestmark = pytest.mark.django_db

RECEIVER = "workflows_applicant_replied"


def test_the_table_names_every_status_and_only_nodes_of_the_flow():
    assert set(OPEN_NODES_BY_STATUS) == set(Case.Status)
    nodes = {node.name for node in InstructionFlow.instance.nodes()}
    named = set().union(*OPEN_NODES_BY_STATUS.values())
    timers = {name for name in named if name.endswith("__timeout")}
    assert named - timers <= nodes
    assert {name.removesuffix("__timeout") for name in timers} <= nodes
    for status in Case.FINISHED:
        assert OPEN_NODES_BY_STATUS[status] == frozenset()


def test_a_reply_whose_flow_did_not_follow_is_listed_then_repaired(applicant, applicant_client):
    case = CaseFactory(awaiting_applicant=True, applicant=applicant)
    # The step after commit is lost (a worker dies, a bug in a receiver): the status has
    # moved with the reply, the flow has not.
    assert applicant_replied.disconnect(sender=Case, dispatch_uid=RECEIVER)
    try:
        response = applicant_client.post(
            f"/demandes/{case.number}/repondre/", {"body": "Le voici."}
        )
        assert response.status_code == 302
    finally:
        applicant_replied.connect(complete_waiting_task, sender=Case, dispatch_uid=RECEIVER)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert "wait_applicant" in [name for name, _ in open_tasks(case)]

    out = StringIO()
    call_command("check_instruction", stdout=out)
    assert f"{case.display_number}: in_instruction with" in out.getvalue()
    assert "1 disagreement(s), 0 repaired." in out.getvalue()

    assert tasks.repair_instruction() == 1  # the beat job
    assert [name for name, _ in open_tasks(case)] == ["check"]
    out = StringIO()
    call_command("check_instruction", "--repair", stdout=out)
    assert "0 disagreement(s)" in out.getvalue()


def test_a_demande_whose_instruction_did_not_start_is_started_once_by_the_beat_job(
    applicant_client, instructor
):
    InstructorPreferences.objects.create(user=instructor, new_case="immediate")
    start = "workflows_start_instruction"
    # The step after the submission's commit is lost: the demande is filed, nobody knows.
    assert case_submitted.disconnect(sender=Case, dispatch_uid=start)
    try:
        case = file_heating_aid(applicant_client, defer_tax_notice=False)
    finally:
        case_submitted.connect(start_instruction, sender=Case, dispatch_uid=start)
    assert case.status == Case.Status.SUBMITTED
    assert not CaseProcess.objects.filter(case=case).exists()
    tasks.fire_timers()  # a submission of a moment ago may still be starting: left alone
    assert not CaseProcess.objects.filter(case=case).exists()

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        tasks.fire_timers()
        tasks.fire_timers()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert CaseProcess.objects.filter(case=case).count() == 1
    told = Notification.objects.filter(recipient=instructor.email)
    assert [
        case.display_number in subject for subject in told.values_list("subject", flat=True)
    ] == [True]

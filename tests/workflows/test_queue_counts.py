"""The queues' kept copies (ADR 0404) follow every change: the tab counts an instructor
reads always equal a count made from scratch over the flow's tables, after each step of
an instruction, a deletion, a stale save; and a copy put wrong is found and repaired."""

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, StatusCount
from tests.support.factories import CaseFactory
from tests.support.instruction import act, agrees, checked_case, file_heating_aid, reply, take
from workflows import queue
from workflows.flows import HUMAN_NODES

pytestmark = pytest.mark.django_db
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def counted_from_scratch(user) -> dict:
    """Every tab counted the slow way, through the flow's process and task tables."""
    cases = Case.objects.exclude(status=Case.Status.DRAFT).filter(service__instructors=user)
    open_task = Task.objects.filter(
        process__caseprocess__case=OuterRef("pk"), flow_task__in=HUMAN_NODES, status__in=OPEN
    )
    return {
        "a_traiter": cases.filter(Exists(open_task.filter(status=STATUS.NEW))).count(),
        "mes_dossiers": cases.filter(Exists(open_task.filter(owner=user))).count(),
        "echeances": cases.filter(
            status=Case.Status.IN_INSTRUCTION, deadline_at__isnull=False
        ).count(),
        "attente": cases.filter(status=Case.Status.AWAITING_APPLICANT).count(),
        "traites": cases.filter(status__in=Case.FINISHED).count(),
        "tous": cases.count(),
    }


def shown(client, query="") -> dict:
    response = client.get(f"/instruction/{query}")
    assert response.status_code == 200
    # The « Supprimées » register has no count (ADR 0406): only the work tabs are counted.
    return {key: count for key, _label, count in response.context["tabs"] if count is not None}


def test_tab_counts_follow_each_step_of_an_instruction(
    instructor, instructor_client, applicant_client
):
    CaseFactory.create_batch(2, in_instruction=True)
    CaseFactory(accepted=True)
    steps = []
    case = checked_case(applicant_client, instructor_client)
    steps.append(shown(instructor_client))
    act(instructor_client, case, "request", body="Votre RIB, s'il vous plaît.")
    steps.append(shown(instructor_client))
    reply(applicant_client, case, body="Le voici.")
    steps.append(shown(instructor_client))
    take(instructor_client, case)
    act(instructor_client, case, "complete")
    steps.append(shown(instructor_client))
    act(instructor_client, case, "decide", decision="accepted", reason="")
    steps.append(shown(instructor_client))
    assert steps[-1] == counted_from_scratch(instructor)
    # What the instructor saw moved with the demande: taken, waiting, back, decided.
    assert [s["mes_dossiers"] for s in steps] == [1, 0, 0, 1, 0]
    assert [s["attente"] for s in steps] == [0, 1, 0, 0, 0]
    assert [s["a_traiter"] for s in steps] == [2, 2, 3, 2, 2]
    assert [s["traites"] for s in steps] == [1, 1, 1, 1, 2]
    assert {s["tous"] for s in steps} == {4}


def test_filtered_counts_agree_with_the_kept_counts(instructor, instructor_client):
    CaseFactory.create_batch(2, in_instruction=True)
    CaseFactory(refused=True)
    kept = shown(instructor_client)
    # A search that matches every demande counts them one by one, the other way.
    searched = shown(instructor_client, "?q=example")
    assert kept == searched == counted_from_scratch(instructor)


def test_deleting_demandes_updates_the_counts(instructor, instructor_client, applicant_client):
    CaseFactory(draft=True)
    submitted = CaseFactory(in_instruction=True)
    before = shown(instructor_client)
    Case.objects.filter(status=Case.Status.DRAFT).delete()
    assert shown(instructor_client) == before
    Case.objects.get(pk=submitted.pk).delete()
    after = shown(instructor_client)
    assert after["tous"] == before["tous"] - 1
    assert after == counted_from_scratch(instructor)


def test_a_stale_demande_saved_keeps_the_copy_of_its_task(instructor, instructor_client):
    case = CaseFactory(in_instruction=True)
    stale = Case.objects.get(pk=case.pk)
    take(instructor_client, case)
    stale.applicant_email = "nouvelle.adresse@example.fr"
    stale.save()
    case.refresh_from_db()
    assert case.next_task_owner_id == instructor.pk
    assert case.applicant_email == "nouvelle.adresse@example.fr"
    agrees(case)


def test_check_instruction_repairs_copies_and_counts(instructor, instructor_client):
    case = CaseFactory(in_instruction=True)
    CaseFactory(accepted=True)
    right = shown(instructor_client)
    Case.objects.filter(pk=case.pk).update(next_task_status="", next_task_id=None)
    StatusCount.objects.filter(status=Case.Status.ACCEPTED).update(count=40)
    assert shown(instructor_client) != right
    call_command("check_instruction", stdout=(out := __import__("io").StringIO()))
    assert "queue copy out of date" in out.getvalue()
    assert "counted 40, actually 1" in out.getvalue()
    assert shown(instructor_client) != right  # listing changes nothing
    call_command("check_instruction", "--repair", stdout=out)
    assert shown(instructor_client) == right == counted_from_scratch(instructor)


def test_the_nightly_job_repairs_and_a_bulk_load_rebuilds(instructor, instructor_client):
    from workflows.tasks import recount_queues

    case = CaseFactory(in_instruction=True)
    right = shown(instructor_client)
    Case.objects.filter(pk=case.pk).update(next_task_status=STATUS.ASSIGNED)
    StatusCount.objects.all().delete()
    assert recount_queues() == 2
    assert shown(instructor_client) == right
    assert recount_queues() == 0
    Case.objects.update(next_task_status="", next_task_id=None)
    assert queue.rebuild() == 1
    assert shown(instructor_client) == right


def test_another_service_sees_none_of_it(other_instructor, applicant_client):
    from tests.support.instruction import login

    file_heating_aid(applicant_client, defer_tax_notice=False)
    counts = shown(login(other_instructor))
    assert counts == counted_from_scratch(other_instructor)
    assert set(counts.values()) == {0}

"""Instruction helpers shared by the test packages: instructors, their sessions, the open
tasks of a demande, and the steps of filing and instructing through the real views.
Fixtures are in tests/support/fixtures.py; demandes in a given state without the views,
in tests/support/factories.py."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, Service
from identity.models import User
from identity.services import terms_accept_current
from tests.support.client import CommitClient, force_app_login, page_text
from tests.support.filing import AID_ANSWERS, PASSWORD, pdf_upload, png_upload, start_draft


def make_instructor(email, first, last, service_slug):
    """An instructor of the service, who has accepted the current terms."""
    user = User.objects.create_user(email, PASSWORD, first_name=first, last_name=last)
    Service.objects.get(slug=service_slug).instructors.add(user)
    terms_accept_current(user=user)
    return user


def login(user) -> CommitClient:
    """An instructor's session as after a login with their authenticator app (the login
    itself is tested through the real views in tests/workflows/test_strong_login.py)."""
    session_client = CommitClient()
    force_app_login(session_client, user)
    return session_client


def open_tasks(case: Case):
    """(node name, status) of every open task of the case's instruction, oldest first."""
    return [
        (t.flow_task.name, t.status)
        for t in Task.objects.filter(
            process__caseprocess__case=case,
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED],
        ).order_by("created", "pk")
    ]


def human_task(case: Case) -> Task:
    from workflows.selectors import open_task

    return open_task(case)


def file_heating_aid(session, *, defer_tax_notice=True, **answers) -> Case:
    """The applicant files the heating aid through the real views (``answers`` override
    the usual ones)."""
    case = start_draft(session, "aide-chauffage")
    data = {
        **AID_ANSWERS,
        **answers,
        "file__piece_identite": [png_upload("recto.png")],
        "review": "1",
    }
    if defer_tax_notice:
        data["avis_imposition__later"] = "on"
    else:
        data["file__avis_imposition"] = pdf_upload("avis.pdf")
    response = session.post(f"/demandes/brouillon/{case.pk}/", data)
    assert response.status_code == 302, response.content
    response = session.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    return case


# The instruction steps through the real views; after each one, the demande's status and
# its open tasks agree (``workflows.consistency``).


def agrees(case):
    """After every step: the open flow nodes are those the status allows (the table next to
    the flow, ``OPEN_NODES_BY_STATUS``), and an active demande has one; the queues' kept
    copies (open task per demande, counts per status, ADR 0404) follow."""
    from cases import counts
    from workflows import queue
    from workflows.consistency import disagreement

    case.refresh_from_db()
    assert disagreement(case) is None, disagreement(case)
    assert queue.stale() == []
    assert counts.drift() == []


def reply(applicant_client, case, body="Voici", **documents):
    data = {"body": body, **{f"document__{k}": v for k, v in documents.items()}}
    response = applicant_client.post(f"/demandes/{case.number}/repondre/", data)
    assert response.status_code == 302, page_text(response)
    agrees(case)


def act(client, case, action, **data):
    task = human_task(case)
    response = client.post(f"/instruction/taches/{task.pk}/agir/", {"action": action, **data})
    assert response.status_code == 302, page_text(response)
    agrees(case)


def take(client, case):
    task = human_task(case)
    assert client.post(f"/instruction/taches/{task.pk}/prendre/").status_code == 302
    agrees(case)


def checked_case(applicant_client, instructor_client):
    """Filed with every document: straight to the "check" task, taken by the instructor."""
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", STATUS.NEW)]
    take(instructor_client, case)
    assert open_tasks(case) == [("check", STATUS.ASSIGNED)]
    return case

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, Service
from identity.models import User
from tests.cases.conftest import (  # noqa: F401 -- shared fixtures
    AID_ANSWERS,
    PASSWORD,
    applicant,
    applicant_client,
    client,
    demo_procedures,
    pdf_upload,
    png_upload,
    server_image,
    start_draft,
)
from tests.support.client import CommitClient, force_app_login


def make_instructor(email, first, last, service_slug):
    user = User.objects.create_user(email, PASSWORD, first_name=first, last_name=last)
    Service.objects.get(slug=service_slug).instructors.add(user)
    return user


@pytest.fixture
def instructor(demo_procedures):  # noqa: F811
    return make_instructor("alice.durand@departement.example", "Alice", "Durand", "action-sociale")


@pytest.fixture
def colleague(demo_procedures):  # noqa: F811
    return make_instructor("bruno.petit@departement.example", "Bruno", "Petit", "action-sociale")


@pytest.fixture
def other_instructor(demo_procedures):  # noqa: F811
    return make_instructor("chloe.morel@eco.example", "Chloé", "Morel", "developpement-economique")


def login(user) -> CommitClient:
    """An instructor's session as after a login with their authenticator app (the login
    itself is tested through the real views in tests/workflows/test_strong_login.py)."""
    session_client = CommitClient()
    force_app_login(session_client, user)
    return session_client


@pytest.fixture
def instructor_client(instructor):
    return login(instructor)


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
    response = session.post(f"/demandes/brouillon/{case.pk}/verifier/")
    assert response.status_code == 302
    case.refresh_from_db()
    return case

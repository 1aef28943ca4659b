"""The « Supprimées » tab of the instruction queue: what is kept of the service's demandes
deleted at the end of their retention (ADR 0406), for that service's instructors only."""

import pytest

from cases import services
from cases.models import Case
from tests.support.client import page_text
from tests.support.factories import CaseFactory, demo_procedure
from tests.support.filing import ACTIVITY_ANSWERS
from tests.support.instruction import login

pytestmark = pytest.mark.django_db


def deleted(case: Case) -> None:
    """Through the purge's own steps, without waiting for the dates."""
    services.case_trash(case=case)
    services.case_delete(case=case)


def test_the_tab_lists_the_records_of_its_services_only(
    instructor, instructor_client, other_instructor, django_capture_on_commit_callbacks
):
    ours = CaseFactory(refused=True)
    theirs = CaseFactory(
        accepted=True, procedure=demo_procedure("declaration-activite"), answers=ACTIVITY_ANSWERS
    )
    with django_capture_on_commit_callbacks(execute=True):
        deleted(ours)
        deleted(theirs)

    response = instructor_client.get("/instruction/", {"onglet": "supprimees"})

    assert response.status_code == 200
    text = page_text(response)
    assert ours.display_number in text
    assert ours.procedure.title in text
    assert theirs.display_number not in text
    assert ours.applicant_email not in text
    assert 'aria-current="page">Supprimées' in text

    other = login(other_instructor).get("/instruction/", {"onglet": "supprimees"})
    assert theirs.display_number in page_text(other)
    assert ours.display_number not in page_text(other)

    # The other queues link to it.
    assert "?onglet=supprimees" in page_text(instructor_client.get("/instruction/"))

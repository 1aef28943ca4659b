"""Fixtures of the cases tests only; the shared ones are in tests/support/fixtures.py."""

import pytest

from cases.models import Case
from tests.support.client import CommitClient
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft


@pytest.fixture
def client(commit_client):
    """Here ``client`` is the session that commits like a request, the same one as
    ``applicant_client`` when a test asks for both."""
    return commit_client


@pytest.fixture
def filed(demo_procedures, mailoutbox):
    """A demande filed without an account for the professional declaration."""
    client = CommitClient()
    case = start_draft(client, "declaration-activite")
    client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload("kbis.pdf")},
    )
    url = f"/demandes/brouillon/{case.pk}/courriel/"
    client.post(url, {"email": "gerant@boulangerie.example", "send": "1"})
    client.post(url, {"code": mailoutbox[-1].subject.rsplit(" ", 1)[-1]})
    client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION  # complete: the flow starts instruction
    return case

"""Instruction actions through the API carry files as the screens do (multipart/form-data):
inspected, cleaned and joined to the discussion; a refused file refuses the action and
changes nothing."""

from io import BytesIO

import pytest

from cases.models import Case, CaseFile, CaseMessage
from tests.support.files import pdf_bytes
from tests.support.instruction import agrees, file_heating_aid

pytestmark = pytest.mark.django_db


def _upload(name, content):
    handle = BytesIO(content)
    handle.name = name
    return handle


@pytest.fixture
def api_and_case(make_token, api_client_for, applicant_client):
    _, secret = make_token("aide-chauffage")
    api = api_client_for(secret)
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    base = f"/api/v1/cases/{case.number}/"
    assert api.post_json(base + "take/").status_code == 200
    return api, case, base


def test_a_request_for_information_carries_its_files_to_the_applicant(api_and_case):
    api, case, base = api_and_case
    response = api.post(
        base + "request-information/",
        {
            "body": "Voici le formulaire à remplir.",
            "files": [_upload("formulaire.pdf", pdf_bytes())],
        },
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_APPLICANT
    message = CaseMessage.objects.get(case=case, body="Voici le formulaire à remplir.")
    assert list(message.files.values_list("name", flat=True)) == ["formulaire.pdf"]
    agrees(case)
    # The applicant reads it on the demande's page, the file with it.
    details = api.get(base).json()
    assert "formulaire.pdf" in {file["name"] for file in details["files"]}


def test_a_refused_file_refuses_the_action_and_changes_nothing(api_and_case):
    api, case, base = api_and_case
    files_before = CaseFile.objects.filter(case=case).count()
    response = api.post(
        base + "request-information/",
        {"body": "Voici.", "files": [_upload("faux.pdf", b"MZ\x90\x00 not a pdf at all")]},
    )
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert problem["errors"]["files"][0].startswith("faux.pdf : ")
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert not CaseMessage.objects.filter(case=case, body="Voici.").exists()
    assert CaseFile.objects.filter(case=case).count() == files_before


def test_a_decision_with_the_service_letter_or_the_generated_one(
    api_and_case, applicant_client, api_client_for, make_token
):
    api, case, base = api_and_case
    assert api.post_json(base + "complete/").status_code == 200
    response = api.post(
        base + "decide/",
        {"decision": "accepted", "letter": _upload("courrier-signe.pdf", pdf_bytes())},
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    decision = CaseMessage.objects.filter(case=case).latest("created_at")
    assert list(decision.files.values_list("name", flat=True)) == ["courrier-signe.pdf"]

    other = file_heating_aid(applicant_client, defer_tax_notice=False)
    other_base = f"/api/v1/cases/{other.number}/"
    for step in ("take/", "complete/"):
        assert api.post_json(other_base + step).status_code == 200
    response = api.post_json(
        other_base + "decide/",
        {"decision": "refused", "reason": "Revenus trop élevés.", "generate_letter": True},
    )
    assert response.status_code == 200, response.content
    letter = CaseMessage.objects.filter(case=other).latest("created_at").files.get()
    assert letter.name.endswith(".pdf")

"""Joining porte-documents files to a demande: the demande keeps its own copy."""

import hashlib
from io import BytesIO

import pytest
from django.test import TestCase

from cases.models import CaseFile
from identity.models import User
from identity.selectors import space_personal_for
from locker.services import document_delete, document_upload
from tests.support.client import page_text
from tests.support.files import pdf_bytes, png_bytes
from tests.support.filing import AID_ANSWERS, MOVE_ANSWERS, file_demande, png_upload, start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def id_card(applicant):
    outcome = document_upload(
        space=space_personal_for(user=applicant),
        fileobj=BytesIO(png_bytes((300, 200))),
        name="carte-identite.png",
        title="Ma carte d'identité",
        kind="identity",
    )
    assert outcome.accepted
    return outcome.document


def test_a_locker_document_is_offered_and_joined_in_one_click(
    applicant_client, demo_procedures, id_card
):
    case = start_draft(applicant_client, "aide-chauffage")
    page = page_text(applicant_client.get(f"/demandes/brouillon/{case.pk}/"))
    assert "Ou choisissez dans votre porte-documents" in page
    assert "Ma carte d'identité" in page

    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/", {"locker__piece_identite": str(id_card.pk), "save": "1"}
    )
    assert response.status_code == 302
    joined = case.files.get(field_name="piece_identite")
    assert joined.name == "carte-identite.png"
    assert joined.sha256 == id_card.sha256


def test_a_deleted_locker_document_stays_downloadable_unchanged_from_the_demande(
    applicant_client, demo_procedures, id_card
):
    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**AID_ANSWERS, "avis_imposition__later": "on", "locker__piece_identite": str(id_card.pk)},
    )
    applicant_client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    joined = case.files.get()
    url = f"/demandes/{case.number}/fichiers/{joined.pk}/"
    before = b"".join(applicant_client.get(url))

    with TestCase.captureOnCommitCallbacks(execute=True):
        document_delete(document=id_card)

    after = applicant_client.get(url)
    assert after.status_code == 200
    content = b"".join(after)
    assert content == before
    assert hashlib.sha256(content).hexdigest() == id_card.sha256


def test_another_spaces_document_cannot_be_joined(applicant_client, demo_procedures):
    stranger = User.objects.create_user("autre@example.fr", "x")
    foreign = document_upload(
        space=space_personal_for(user=stranger),
        fileobj=BytesIO(pdf_bytes()),
        name="secret.pdf",
    ).document
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/", {"locker__piece_identite": str(foreign.pk)}
    )
    assert response.status_code == 404
    assert not CaseFile.objects.exists()


def test_a_discussion_reply_can_join_a_locker_document(applicant_client, demo_procedures, id_card):
    from cases.models import CaseMessage

    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**AID_ANSWERS, "avis_imposition__later": "on", "locker__piece_identite": str(id_card.pk)},
    )
    applicant_client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    # The tax notice was ticked "plus tard": the flow has already asked for it.
    assert case.status == case.Status.AWAITING_APPLICANT
    page = page_text(applicant_client.get(f"/demandes/{case.number}/?onglet=messagerie"))
    assert "Ou joignez des documents de votre porte-documents" in page

    response = applicant_client.post(
        f"/demandes/{case.number}/repondre/", {"body": "Le voici.", "locker": [str(id_card.pk)]}
    )
    assert response.status_code == 302
    reply = CaseMessage.objects.get(body="Le voici.")
    assert [f.name for f in reply.files.all()] == ["carte-identite.png"]


def test_files_sent_by_the_service_land_in_the_applicants_porte_documents(
    applicant, applicant_client, demo_procedures
):
    from cases import services
    from locker.inspection import inspect_upload
    from locker.models import Document

    case = file_demande(
        applicant_client,
        "changement-adresse",
        {**MOVE_ANSWERS, "file__justificatif_domicile": png_upload("facture.png")},
    )
    form = inspect_upload(BytesIO(pdf_bytes()), name="formulaire-a-remplir.pdf", context="demande")
    services.case_request_information(
        case=case, actor=None, body="Remplissez ce formulaire.", results=[form]
    )

    received = Document.objects.get(space=space_personal_for(user=applicant))
    assert received.origin == Document.Origin.RECEIVED
    assert received.file_name == "formulaire-a-remplir.pdf"
    assert case.display_number in received.origin_label
    page = page_text(applicant_client.get("/porte-documents/"))
    assert "formulaire-a-remplir" in page

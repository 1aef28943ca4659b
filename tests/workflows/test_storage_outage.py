"""S3 stops answering during an upload (a moto server of the test's own, stopped in the
middle): a clear French error, no row pointing at a missing object, the typed text kept —
in the applicant's reply, the draft form, the porte-documents and the instructor's request.
"""

import pytest
from botocore.config import Config

from cases.models import Case, CaseFile, CaseMessage
from locker.models import Document
from tests.support.client import page_text
from tests.support.files import pdf_bytes
from tests.support.filing import pdf_upload
from tests.support.instruction import act, checked_case, human_task
from tests.support.s3 import LocalS3

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Nous ne pouvons pas enregistrer les fichiers pour le moment."


@pytest.fixture
def s3_that_stops(settings):
    """The private storage on a moto server that the test stops when it wants."""
    local = LocalS3().start()
    fail_fast = Config(connect_timeout=1, retries={"max_attempts": 1})
    settings.STORAGES = {
        **settings.STORAGES,
        "private": local.private_setting(client_config=fail_fast),
    }
    local.private_storage()  # creates the bucket
    yield local
    local.stop()


def test_the_applicant_reply_keeps_its_text_and_writes_nothing(
    s3_that_stops, applicant_client, instructor, instructor_client
):
    case = checked_case(applicant_client, instructor_client)
    act(instructor_client, case, "request", body="Envoyez votre RIB.")
    messages_before = CaseMessage.objects.count()
    s3_that_stops.stop()

    response = applicant_client.post(
        f"/demandes/{case.number}/repondre/",
        {"body": "Voici mon RIB, bonne journée.", "files": [pdf_upload("rib.pdf")]},
    )

    assert response.status_code == 503
    text = page_text(response)
    assert UNAVAILABLE in text
    assert "Voici mon RIB, bonne journée." in response.content.decode()
    assert CaseMessage.objects.count() == messages_before
    assert not CaseFile.objects.filter(name="rib.pdf").exists()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_APPLICANT  # the reply did not happen


def test_the_instructor_request_keeps_its_text(
    s3_that_stops, applicant_client, instructor, instructor_client
):
    case = checked_case(applicant_client, instructor_client)
    s3_that_stops.stop()
    task = human_task(case)

    response = instructor_client.post(
        f"/instruction/taches/{task.pk}/agir/",
        {"action": "request", "body": "Merci de signer la notice.", "files": [pdf_upload()]},
    )

    assert response.status_code == 503
    assert UNAVAILABLE in page_text(response)
    assert "Merci de signer la notice." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert not case.thread.exists()


def test_the_porte_documents_upload_says_so_and_adds_nothing(
    s3_that_stops, applicant_client, demo_procedures
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s3_that_stops.stop()
    response = applicant_client.post(
        "/porte-documents/ajouter/",
        {
            "files": [SimpleUploadedFile("rib.pdf", pdf_bytes(), "application/pdf")],
            "title": "Mon RIB",
            "kind": "bank_details",
        },
    )

    assert UNAVAILABLE in page_text(response)
    assert 'value="Mon RIB"' in response.content.decode()
    assert not Document.objects.exists()

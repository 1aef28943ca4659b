"""A file the instructor sends is inspected like the applicant's: each refusal has its own
French message, nothing is sent, and what the instructor typed is shown back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, CaseMessage
from tests.locker.corpus.pdfs import pdf_encrypted
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.instruction import act, human_task

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
TYPED = "Merci de relire la pièce jointe, page 3 : le montant est à corriger."

REFUSED = {
    "oversize": (
        lambda: SimpleUploadedFile("gros.pdf", b"%PDF-1.7\n" + b"0" * MIB),
        "Ce fichier dépasse la taille maximale de 1\u00a0Mo.",
    ),
    "wrong type": (
        lambda: SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>"),
        "Ce type de fichier n'est pas accepté. Envoyez un fichier PDF, PNG ou JPEG.",
    ),
    "encrypted PDF": (
        lambda: SimpleUploadedFile("avis.pdf", pdf_encrypted(user="secret")),
        "Ce fichier PDF est protégé par un mot de passe",
    ),
}


def _request(client, case, upload):
    """Ask the applicant for information, with a file."""
    return client.post(
        f"/instruction/taches/{human_task(case).pk}/agir/",
        {"action": "request", "body": TYPED, "files": [upload]},
    )


def _discussion(client, case, upload):
    """Write in the discussion opened by an earlier request."""
    act(client, case, "request", body="Envoyez votre RIB.")
    return client.post(
        f"/instruction/demandes/{case.number}/messages/",
        {"discussion-body": TYPED, "files": [upload]},
    )


def _decision(client, case, upload):
    """Refuse with a decision document."""
    act(client, case, "complete")
    return client.post(
        f"/instruction/taches/{human_task(case).pk}/agir/",
        {"action": "decide", "decision": "refused", "reason": TYPED, "document": upload},
    )


@pytest.mark.parametrize("send", [_request, _discussion, _decision], ids=lambda f: f.__name__)
@pytest.mark.parametrize("reason", REFUSED)
def test_a_refused_instructor_file_keeps_the_typed_text_and_says_why(
    instructor, instructor_client, settings, send, reason
):
    settings.GUICHET_UPLOAD_MAX_BYTES = {**settings.GUICHET_UPLOAD_MAX_BYTES, "demande": MIB}
    case = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    messages = CaseMessage.objects.filter(case=case).count()
    make_upload, expected = REFUSED[reason]

    response = send(instructor_client, case, make_upload())

    assert response.status_code == 400
    page = page_text(response)
    assert expected in page
    assert [other for _, other in REFUSED.values() if other in page] == [expected]
    assert TYPED in page
    case.refresh_from_db()
    waiting = send is _discussion  # the earlier request made the case wait for the applicant
    assert case.status == (
        Case.Status.AWAITING_APPLICANT if waiting else Case.Status.IN_INSTRUCTION
    )
    assert case.decided_at is None
    # Nothing reached the applicant beyond what the test itself sent.
    assert CaseMessage.objects.filter(case=case).count() == messages + (send is _discussion)

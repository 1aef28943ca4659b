"""The decision letter draws the template and its variables as typed, never as markup."""

import pytest
from django.conf import settings

from cases.models import CaseFile
from tests.support.factories import CaseFactory
from tests.support.files import HOSTILE_MARKUP, assert_harmless_pdf
from tests.support.instruction import act

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", HOSTILE_MARKUP)
def test_decision_letter_from_a_hostile_template_and_reason(
    applicant, applicant_client, instructor, instructor_client, server_image, kind
):
    hostile = HOSTILE_MARKUP[kind].format(image=server_image)
    case = CaseFactory(in_instruction=True, taken=True, applicant=applicant, instructor=instructor)
    case.procedure.decision_letter = f"{hostile}\n\nDécision : {{decision}}.\nMotif : {{motif}}"
    case.procedure.save()
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="refused", reason=hostile, generate_letter="on")

    letter = CaseFile.objects.get(case=case, name=f"courrier-decision-{case.number}.pdf")
    download = applicant_client.get(f"/demandes/{case.number}/fichiers/{letter.pk}/")

    assert download.status_code == 200
    content = b"".join(download)
    assert_harmless_pdf(content, hostile, site_url=settings.GUICHET_SITE_URL)
    assert_harmless_pdf(content, f"Motif : {hostile}", site_url=settings.GUICHET_SITE_URL)

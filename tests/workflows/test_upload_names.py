"""Look-alike separators and dots in file names, through every upload page and the
porte-documents ZIP: the stored and offered name is never a path, "." or "..".

The unit cases of the cleaning are in tests/locker/test_inspection_names.py; here each
upload context shows that it uses it.
"""

import io
import zipfile

import pytest
from django.urls import reverse

from cases.models import CaseFile
from locker.models import Document
from tests.locker.test_inspection_names import LOOKALIKE_NAMES
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.filing import AID_ANSWERS, pdf_upload, start_draft
from tests.support.instruction import human_task

pytestmark = pytest.mark.django_db

# Declared names with look-alikes of "/", "\" and "..", and what is stored for each.
DECLARED = [declared for declared, _ in LOOKALIKE_NAMES[:6]]


def _is_harmless(name: str) -> bool:
    return not any(char in name for char in "/\\\uff0f\uff3c\u2215\u2044\u2024\u2025") and (
        not name.startswith(".")
    )


def _uploads():
    return [pdf_upload(name) for name in DECLARED]


@pytest.fixture
def case(applicant, instructor):
    return CaseFactory(in_instruction=True, applicant=applicant)


def test_locker_upload_and_zip_never_keep_a_lookalike_path(applicant_client):
    response = applicant_client.post(
        reverse("locker:upload"), {"kind": "other", "title": "", "files": _uploads()}
    )

    assert response.status_code == 302
    names = sorted(Document.objects.values_list("file_name", flat=True))
    assert len(names) == len(DECLARED)
    assert all(_is_harmless(name) for name in names), names
    assert "passwd.pdf" in names
    # A name stored before this cleaning existed is cleaned again in the ZIP.
    legacy = Document.objects.first()
    Document.objects.filter(pk=legacy.pk).update(file_name="\u2025\uff0f\u2025\uff0fold.pdf")
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(applicant_client.get(reverse("locker:download_all")).streaming_content))
    )
    entries = archive.namelist()
    assert len(entries) == len(DECLARED)
    for entry in entries:
        folder, _, name = entry.partition("/")
        assert folder == "Autre"
        assert _is_harmless(name), entry
    assert "Autre/old.pdf" in entries


def test_demande_file_field_never_keeps_a_lookalike_path(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**AID_ANSWERS, "file__facture_energie": _uploads()[:3]},
    )

    assert response.status_code == 302, page_text(response)
    names = list(case.files.values_list("name", flat=True))
    assert sorted(names) == ["avis.pdf", "passwd.pdf", "rib.pdf"]
    page = page_text(applicant_client.get(f"/demandes/brouillon/{case.pk}/"))
    assert "passwd.pdf" in page
    assert "\uff0f" not in page


def test_discussion_reply_and_instructor_attachment_never_keep_a_lookalike_path(
    case, applicant_client, instructor_client
):
    task = human_task(case)
    instructor_client.post(f"/instruction/taches/{task.pk}/prendre/")
    response = instructor_client.post(
        f"/instruction/taches/{task.pk}/agir/",
        {"action": "request", "body": "Voici les modèles.", "files": _uploads()},
    )
    assert response.status_code == 302
    sent = list(CaseFile.objects.filter(case=case, message__isnull=False))
    instructor_names = [case_file.name for case_file in sent]
    assert len(instructor_names) == len(DECLARED)
    assert all(_is_harmless(name) for name in instructor_names), instructor_names

    response = applicant_client.post(
        reverse("cases:case_reply", args=[case.number]),
        {"body": "Voici mes pièces.", "files": _uploads()},
    )
    assert response.status_code == 302
    reply_names = list(
        CaseFile.objects.filter(case=case, message__isnull=False)
        .exclude(pk__in=[case_file.pk for case_file in sent])
        .values_list("name", flat=True)
    )
    assert len(reply_names) == len(DECLARED)
    assert all(_is_harmless(name) for name in reply_names), reply_names
    assert "passwd.pdf" in page_text(applicant_client.get(f"/demandes/{case.number}/"))

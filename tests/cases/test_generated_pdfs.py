"""Generated PDFs draw applicant text as typed: never as ReportLab markup."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.files import HOSTILE_MARKUP, assert_harmless_pdf
from tests.support.filing import MOVE_ANSWERS, file_demande

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", HOSTILE_MARKUP)
def test_receipt_shows_hostile_answers_as_typed(
    applicant_client, demo_procedures, server_image, kind
):
    typed = HOSTILE_MARKUP[kind].format(image=server_image)
    case = file_demande(
        applicant_client,
        "changement-adresse",
        {**MOVE_ANSWERS, "ancienne_adresse__street": typed, "justificatif_domicile__later": "on"},
    )

    response = applicant_client.get(f"/demandes/{case.number}/recepisse.pdf")

    assert response.status_code == 200
    # The receipt embeds no file at all: not even the applicant's own uploads.
    assert_harmless_pdf(b"".join(response), typed, site_url=settings.GUICHET_SITE_URL)


def test_only_the_pdf_module_makes_reportlab_paragraphs():
    """A new PDF builder cannot forget to escape: it has to go through cases/pdf.py."""
    base = Path(settings.BASE_DIR)
    offenders = []
    for root in ("identity", "locker", "cases", "workflows", "cms", "config"):
        for path in (base / root).rglob("*.py"):
            if path == base / "cases" / "pdf.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                    names = {alias.name for alias in node.names}
                    if names & {"Paragraph", "Preformatted", "XPreformatted", "*"}:
                        offenders.append(str(path.relative_to(base)))
                elif isinstance(node, ast.Attribute) and node.attr == "Paragraph":
                    offenders.append(str(path.relative_to(base)))
    assert offenders == []

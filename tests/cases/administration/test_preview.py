"""The preview of the form being edited: the applicant's page, filled as a test, and
nothing stored."""

import re

import pytest

from cases.models import Case, CaseFile
from tests.support.client import page_text
from tests.support.filing import AID_ANSWERS, pdf_upload

pytestmark = pytest.mark.django_db

URL = "/administration/demarches/aide-chauffage/apercu/"


def test_the_preview_shows_the_draft_not_the_published_version(admin_client, heating):
    heating.definition = [
        *heating.definition,
        {"name": "nouveau", "type": "text", "label": "Question pas encore publiée"},
    ]
    heating.save()
    text = page_text(admin_client.get(URL))
    assert "Question pas encore publiée" in text
    assert "aucune demande n'est créée" in text


def test_an_incomplete_test_fill_lists_what_is_missing(admin_client, heating):
    response = admin_client.post(URL, {"prenom": "Camille", "iban": "FR00 0000"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Un usager ne pourrait pas encore déposer ce formulaire" in text
    assert "Il manque : Nom." in text
    assert "Il manque : Dernier avis d'impôt." in text
    assert "Certaines réponses sont à corriger" in text
    assert 'id="id_iban_error"' in text
    assert 'value="Camille"' in response.content.decode()


def test_a_complete_test_fill_shows_what_the_service_would_receive(admin_client, heating):
    response = admin_client.post(
        URL,
        {
            **AID_ANSWERS,
            "file__piece_identite": pdf_upload("identite.pdf"),
            "file__avis_imposition": pdf_upload("avis.pdf"),
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Le formulaire d'essai est complet" in text
    assert re.search(r"Revenu fiscal de référence \(en euros\)</dt><dd>18\s500</dd>", text)
    assert "avis.pdf" in text
    assert not Case.objects.exists()
    assert not CaseFile.objects.exists()

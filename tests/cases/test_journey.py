"""The applicant's journey through filing: profile pre-fill, one email to give, the same
porte-documents document chosen twice, the timeline naming automatic steps."""

from io import BytesIO

import pytest

from cases.models import Case
from identity.models import Profile
from identity.selectors import space_personal_for
from locker.services import document_upload
from tests.support.client import page_text
from tests.support.files import pdf_bytes
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax_notice(applicant):
    outcome = document_upload(
        space=space_personal_for(user=applicant),
        fileobj=BytesIO(pdf_bytes()),
        name="avis-2025.pdf",
        title="Avis d'impôt 2025",
        kind="tax_notice",
    )
    assert outcome.accepted
    return outcome.document


def test_the_same_locker_document_chosen_twice_is_attached_once(
    applicant_client, demo_procedures, tax_notice
):
    case = start_draft(applicant_client, "aide-chauffage")
    url = f"/demandes/brouillon/{case.pk}/"
    choice = {"locker__avis_imposition": str(tax_notice.pk), "save": "1"}
    assert applicant_client.post(url, choice).status_code == 302
    # The same choice sent again (back button, double click): no error page.
    response = applicant_client.post(url, choice, follow=True)
    assert response.status_code == 200
    assert case.files.filter(field_name="avis_imposition").count() == 1
    page = page_text(response)
    attached = case.files.get(field_name="avis_imposition")
    assert "avis-2025.pdf" in page
    assert f'form="retirer-{attached.pk}"' in page
    assert f'action="/demandes/brouillon/{case.pk}/fichiers/{attached.pk}/retirer/"' in page


def test_names_and_address_from_my_information_fill_the_draft(client, applicant, demo_procedures):
    """A person who signed up and filled "Mes informations" (given names, usage name,
    address): the draft shows them, even for a draft started before the profile."""
    applicant.first_name = applicant.last_name = ""
    applicant.save()
    client.force_login(applicant)
    early = start_draft(client, "aide-chauffage")
    profile = {
        "given_names": "Léa",
        "usage_name": "Durand",
        "birth_name": "Petit",
        "address_line": "4 place du Marché",
        "postcode": "69002",
        "city": "Lyon",
        "country": "France",
    }
    assert client.post("/compte/informations/", profile).status_code == 302
    assert Profile.objects.get(user=applicant).given_names == "Léa"

    for case in (early, start_draft(client, "aide-chauffage")):
        page = page_text(client.get(f"/demandes/brouillon/{case.pk}/"))
        assert 'name="prenom" value="Léa"' in page
        assert 'name="nom" value="Durand"' in page
        assert 'name="adresse__street" value="4 place du Marché"' in page
        assert 'name="adresse__postcode" value="69002"' in page
        assert 'name="adresse__city" value="Lyon"' in page
        assert "PDF, JPEG ou PNG, 5\u00a0Mo au plus" in page  # the limit, written one way


def test_an_emptied_answer_is_not_filled_again(applicant_client, applicant, demo_procedures):
    Profile.objects.create(user=applicant, given_names="Léa")
    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(f"/demandes/brouillon/{case.pk}/", {"prenom": "", "save": "1"})
    page = page_text(applicant_client.get(f"/demandes/brouillon/{case.pk}/"))
    assert 'name="prenom" value="Léa"' not in page


def test_without_account_the_contact_email_fills_the_verification_step(
    client, demo_procedures, mailoutbox
):
    case = start_draft(client, "declaration-activite")
    client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload("kbis.pdf"), "review": "1"},
    )
    step = client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})["Location"]
    page = page_text(client.get(step))
    assert 'value="contact@boulangerie.example"' in page
    assert "Nous avons repris l'adresse donnée dans votre demande" in page


def test_the_automatic_start_of_instruction_is_not_the_service(client, demo_procedures):
    case = start_draft(client, "declaration-activite")
    url = f"/demandes/brouillon/{case.pk}/"
    client.post(url, {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload("kbis.pdf")})
    Case.objects.filter(pk=case.pk).update(email_verified=True, applicant_email="a@b.example")
    client.post(f"{url}verifier/", {"deposer": "1"})
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    started = case.events.get(status=Case.Status.IN_INSTRUCTION)
    assert started.actor is None
    page = page_text(client.get(f"/demandes/{case.number}/"))
    timeline = page[page.index('class="guichet-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert "Étape automatique" in timeline
    assert "Le service instructeur" not in timeline


def test_a_second_document_for_a_full_field_is_refused_next_to_the_file_to_remove(
    applicant_client, applicant, demo_procedures, tax_notice
):
    other = document_upload(
        space=space_personal_for(user=applicant),
        fileobj=BytesIO(pdf_bytes(pages=2)),
        name="avis-2024.pdf",
        title="Avis d'impôt 2024",
        kind="tax_notice",
    ).document
    case = start_draft(applicant_client, "aide-chauffage")
    url = f"/demandes/brouillon/{case.pk}/"
    applicant_client.post(url, {"locker__avis_imposition": str(tax_notice.pk), "save": "1"})
    response = applicant_client.post(url, {"locker__avis_imposition": str(other.pk), "save": "1"})
    assert response.status_code == 400
    page = page_text(response)
    attached = case.files.get(field_name="avis_imposition")
    error = page[page.index('id="file__avis_imposition-error"') :]
    assert "Vous avez déjà joint 1 fichier ici : retirez-le pour le remplacer." in error[:400]
    assert f'form="retirer-{attached.pk}"' in page

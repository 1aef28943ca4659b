"""Filing a demande through the HTTP views, with and without an account."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import numbers
from cases.models import Case, CaseEvent
from identity.models import Notification
from tests.support.client import CommitClient as Client
from tests.support.client import page_text
from tests.support.files import pdf_text
from tests.support.filing import (
    ACTIVITY_ANSWERS,
    AID_ANSWERS,
    MOVE_ANSWERS,
    file_demande,
    pdf_upload,
    png_upload,
    start_draft,
)

pytestmark = pytest.mark.django_db


def test_account_is_required_for_the_heating_aid(client, demo_procedures):
    response = client.post("/demarches/aide-chauffage/commencer/")
    assert response.status_code == 302
    assert "next=/demarches/aide-chauffage/commencer/" in response["Location"]
    assert not Case.objects.exists()


def test_draft_is_prefilled_from_the_profile(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    page = page_text(applicant_client.get(f"/demandes/brouillon/{case.pk}/"))
    assert 'value="Camille"' in page
    assert 'value="Martin"' in page


def test_refused_file_keeps_every_typed_answer(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    fake_pdf = SimpleUploadedFile("avis.pdf", b"Ceci n'est pas un PDF. " * 50)
    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**AID_ANSWERS, "save": "1", "file__avis_imposition": fake_pdf},
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "Certains fichiers n'ont pas été acceptés" in body
    assert "avis.pdf" in body
    assert 'value="12 rue des Lilas"' in body
    case.refresh_from_db()
    assert case.answers["adresse"] == {
        "street": "12 rue des Lilas",
        "postcode": "75011",
        "city": "Paris",
    }
    assert case.answers["iban"] == "FR7630006000011234567890189"
    assert not case.files.exists()


def test_file_a_demande_end_to_end_with_account(applicant_client, demo_procedures, mailoutbox):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/",
        {
            **AID_ANSWERS,
            "avis_imposition__later": "on",
            "file__piece_identite": [png_upload("recto.png"), png_upload("verso.png")],
            "review": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/demandes/brouillon/{case.pk}/verifier/"
    review = page_text(applicant_client.get(response["Location"]))
    assert "à fournir plus tard" in review
    assert "recto.png" in review

    # Another POST to the review page (a late autosave of the form page) files nothing.
    stray = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/verifier/", {**AID_ANSWERS, "autosave": "1"}
    )
    assert stray.status_code == 200
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
    assert not mailoutbox

    response = applicant_client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    # Submitted; the instruction flow then asks at once for the deferred tax notice.
    assert case.status == Case.Status.AWAITING_APPLICANT
    assert numbers.is_valid(case.number)
    assert response["Location"] == f"/demandes/{case.number}/deposee/"
    assert list(case.events.values_list("kind", flat=True))[:2] == [
        CaseEvent.Kind.CREATED,
        CaseEvent.Kind.SUBMITTED,
    ]
    assert len(mailoutbox) == 2
    email = mailoutbox[0]
    assert case.display_number in email.subject
    assert "/suivre/lien/" in email.body

    receipt = applicant_client.get(f"/demandes/{case.number}/recepisse.pdf")
    assert receipt["Content-Disposition"].startswith("attachment")
    content = b"".join(receipt)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert case.display_number in text
    assert case.files.first().sha256 in text


def test_submission_refuses_a_demande_with_missing_required_items(
    applicant_client, demo_procedures
):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(
        f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"}, follow=True
    )
    assert "Il manque : Pièce d'identité." in page_text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_without_account_the_email_is_confirmed_by_a_code(client, demo_procedures, mailoutbox):
    case = start_draft(client, "declaration-activite")
    client.post(
        f"/demandes/brouillon/{case.pk}/",
        {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload("kbis.pdf"), "review": "1"},
    )
    response = client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    assert response["Location"] == f"/demandes/brouillon/{case.pk}/courriel/"

    client.post(response["Location"], {"email": "gerant@boulangerie.example", "send": "1"})
    first_code = mailoutbox[-1].subject.rsplit(" ", 1)[-1]
    client.post(response["Location"], {"email": "gerant@boulangerie.example", "send": "1"})
    second_code = mailoutbox[-1].subject.rsplit(" ", 1)[-1]
    if first_code != second_code:  # only the latest code is valid
        refused = client.post(response["Location"], {"code": first_code, "verify": "1"})
        assert "Ce code n'est pas bon" in page_text(refused)
    accepted = client.post(response["Location"], {"code": second_code, "verify": "1"})
    assert accepted["Location"] == f"/demandes/brouillon/{case.pk}/verifier/"

    client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION  # complete: instruction starts at once
    assert case.applicant_email == "gerant@boulangerie.example"
    assert mailoutbox[-1].to == ["gerant@boulangerie.example"]


def test_email_code_expires_after_10_minutes_and_five_wrong_codes_void_it(
    client, demo_procedures, mailoutbox
):
    case = start_draft(client, "declaration-activite")
    url = f"/demandes/brouillon/{case.pk}/courriel/"
    client.post(url, {"email": "gerant@boulangerie.example", "send": "1"})
    code = mailoutbox[-1].subject.rsplit(" ", 1)[-1]
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert "Ce code n'est pas bon" in page_text(client.post(url, {"code": code}))

    client.post(url, {"email": "gerant@boulangerie.example", "send": "1"})
    code = mailoutbox[-1].subject.rsplit(" ", 1)[-1]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post(url, {"code": wrong})
    assert "Ce code n'est pas bon" in page_text(client.post(url, {"code": code}))
    case.refresh_from_db()
    assert not case.email_verified


def test_an_anonymous_draft_is_only_reachable_from_its_own_session(client, demo_procedures):
    case = start_draft(client, "declaration-activite")
    assert client.get(f"/demandes/brouillon/{case.pk}/").status_code == 200
    assert Client().get(f"/demandes/brouillon/{case.pk}/").status_code == 404


def test_another_users_draft_is_a_404(applicant_client, demo_procedures, django_user_model, client):
    case = start_draft(applicant_client, "aide-chauffage")
    other = django_user_model.objects.create_user("autre@example.fr", "x")
    intruder = Client()
    intruder.force_login(other)
    assert intruder.get(f"/demandes/brouillon/{case.pk}/").status_code == 404
    assert (
        intruder.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"}).status_code
        == 404
    )


def test_answers_filed_under_v1_still_render_after_the_procedure_moves_to_v2(
    applicant_client, demo_procedures
):
    from cases.services import procedure_publish_version

    case = file_demande(
        applicant_client,
        "changement-adresse",
        {**MOVE_ANSWERS, "justificatif_domicile__later": "on"},
    )
    procedure = demo_procedures["changement-adresse"]
    procedure.definition = [
        {"name": "adresse", "type": "address", "label": "Adresse actuelle", "required": True}
    ]
    procedure.save()
    assert procedure_publish_version(procedure=procedure).number == 2

    page = page_text(applicant_client.get(f"/demandes/{case.number}/"))
    assert "Ancienne adresse" in page
    assert "1 rue Haute, 33000 Bordeaux" in page
    assert "Adresse actuelle" not in page
    # The receipt, then the instruction flow's automatic request for the deferred document.
    assert Notification.objects.count() == 2


def test_draft_is_prefilled_with_identity_contact_and_address_from_the_profile(
    applicant, applicant_client, demo_procedures
):
    import datetime

    from identity.models import Profile

    Profile.objects.update_or_create(
        user=applicant,
        defaults={
            "civility": Profile.Civility.MADAME,
            "birth_date": datetime.date(1985, 4, 12),
            "address_line": "12 rue des Lilas",
            "postcode": "75011",
            "city": "Paris",
        },
    )
    case = start_draft(applicant_client, "aide-chauffage")
    assert case.answers["civilite"] == "Madame"
    assert case.answers["date_naissance"] == "1985-04-12"
    assert case.answers["adresse"] == {
        "street": "12 rue des Lilas",
        "postcode": "75011",
        "city": "Paris",
    }
    page = page_text(applicant_client.get(f"/demandes/brouillon/{case.pk}/"))
    assert 'value="12 rue des Lilas"' in page


VICTIM = "victime@example.fr"


def _limit(name):
    return settings.GUICHET_RATE_LIMITS[name]["attempts"]


def _anonymous_draft(ip):
    """A new session starting a draft without an account, from ``ip``."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/demarches/declaration-activite/commencer/")
    assert response.status_code == 302, response.status_code
    return client, response["Location"].rstrip("/") + "/courriel/"


def _send_code(client, url, email, ip):
    return client.post(url, {"email": email, "send": "1"}, REMOTE_ADDR=ip, follow=True)


def _codes_to(email):
    return Notification.objects.filter(recipient=email).count()


def test_email_codes_per_draft_are_capped_at_exactly_the_limit(demo_procedures):
    n = _limit("case_email_code")
    client, url = _anonymous_draft("198.51.100.1")
    for number in range(n):
        response = _send_code(client, url, f"p{number}@example.fr", "198.51.100.1")
        assert "Un code vient de vous être envoyé" in page_text(response)
    response = _send_code(client, url, "encore@example.fr", "198.51.100.1")
    assert "Trop de codes demandés" in page_text(response)
    assert not _codes_to("encore@example.fr")


def test_email_codes_to_one_address_are_capped_at_exactly_the_limit_whatever_the_draft_or_ip(
    demo_procedures,
):
    n = _limit("case_email_code_address")
    for number in range(n):
        ip = f"198.51.100.{number + 1}"
        client, url = _anonymous_draft(ip)
        _send_code(client, url, VICTIM, ip)
    assert _codes_to(VICTIM) == n
    client, url = _anonymous_draft("203.0.113.7")
    response = _send_code(client, url, VICTIM.upper(), "203.0.113.7")
    assert "Trop de codes demandés" in page_text(response)
    assert Notification.objects.filter(recipient__iexact=VICTIM).count() == n
    # Another address is not concerned.
    _send_code(client, url, "autre@example.fr", "203.0.113.7")
    assert _codes_to("autre@example.fr") == 1


def test_email_codes_from_one_ip_are_capped_at_exactly_the_limit(demo_procedures):
    n = _limit("case_email_code_ip")
    for number in range(n):
        client, url = _anonymous_draft(f"198.51.100.{number + 1}")
        _send_code(client, url, f"p{number}@example.fr", "192.0.2.1")
        assert _codes_to(f"p{number}@example.fr") == 1
    client, url = _anonymous_draft("203.0.113.7")
    response = _send_code(client, url, "encore@example.fr", "192.0.2.1")
    assert "Trop de codes demandés" in page_text(response)
    assert not _codes_to("encore@example.fr")


def test_anonymous_drafts_from_one_ip_are_capped_at_exactly_the_limit(demo_procedures):
    n = _limit("case_start_anonymous_ip")
    for _ in range(n):
        _anonymous_draft("198.51.100.1")
    client = Client(REMOTE_ADDR="198.51.100.1")
    response = client.post("/demarches/declaration-activite/commencer/")
    assert response.status_code == 429
    assert "Trop de demandes ont été commencées depuis votre connexion" in page_text(response)
    assert Case.objects.count() == n
    # Another IP, or an account, is not concerned.
    _anonymous_draft("203.0.113.7")
    assert Case.objects.count() == n + 1

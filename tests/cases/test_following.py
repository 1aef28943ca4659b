"""Following a demande: tracking without an account, signed links, discussion, feeds."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import numbers, services, tracking
from cases.models import Case, CaseEvent, CaseMessage
from cases.signals import applicant_replied
from tests.identity.helpers import altcha_payload, asks_for_altcha
from tests.support.client import CommitClient as Client
from tests.support.client import page_text
from tests.support.filing import pdf_upload, png_upload, start_draft

pytestmark = pytest.mark.django_db


def _track(client, email, number):
    return client.post("/suivre/", {"email": email, "number": number})


def test_tracking_with_email_and_number_opens_that_demande_only(filed, client):
    response = _track(client, "Gerant@Boulangerie.example", filed.display_number.lower())
    assert response["Location"] == f"/demandes/{filed.number}/"
    page = page_text(client.get(response["Location"]))
    assert "Déclaration d'activité professionnelle" in page
    assert "kbis.pdf" in page


def test_a_miss_gives_one_generic_message_whether_email_or_number_is_wrong(filed, client):
    other = Case.objects.create(
        procedure=filed.procedure, version=filed.version, applicant_email="x@example.fr"
    )
    del other  # a draft: never found by tracking
    wrong_email = _track(client, "intrus@example.fr", filed.display_number)

    wrong_number = _track(client, "gerant@boulangerie.example", numbers.generate())
    assert wrong_email.status_code == wrong_number.status_code == 400
    message = "Nous ne trouvons pas de demande avec ce numéro et cette adresse."
    assert message in page_text(wrong_email)
    assert message in page_text(wrong_number)
    assert client.get(f"/demandes/{filed.number}/").status_code == 404


def test_a_typo_is_caught_by_the_check_character_before_any_lookup(filed, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    number = filed.number
    typo = number[:3] + ("A" if number[3] != "A" else "B") + number[4:]
    with CaptureQueriesContext(connection) as queries:
        response = _track(client, "gerant@boulangerie.example", typo)
    # The page may read its help link; no demande is looked up.
    assert not [q["sql"] for q in queries if "cases_case" in q["sql"]]
    assert response.status_code == 400
    assert "Ce numéro contient une faute de frappe" in page_text(response)


OWNER = "gerant@boulangerie.example"


def _track_from(ip, email, number, *, altcha=False):
    data = {"email": email, "number": number}
    if altcha:
        data["altcha"] = altcha_payload()
    return Client().post("/suivre/", data, REMOTE_ADDR=ip)


def test_tracking_misses_block_the_address_from_that_ip_at_exactly_the_limit(filed):
    n = settings.GUICHET_RATE_LIMITS["case_tracking_pair"]["attempts"]
    # At N: N - 1 misses, the N-th attempt is still looked up.
    for _ in range(n - 1):
        _track_from("198.51.100.1", OWNER, numbers.generate(), altcha=True)
    response = _track_from("198.51.100.1", OWNER, filed.display_number, altcha=True)
    assert response["Location"] == f"/demandes/{filed.number}/"
    # At N + 1: N misses, the next attempt is refused, even with the right number.
    for _ in range(n):
        response = _track_from("198.51.100.2", OWNER, numbers.generate(), altcha=True)
        assert "Trop d'essais" not in page_text(response)
    response = _track_from("198.51.100.2", OWNER, filed.display_number, altcha=True)
    assert response.status_code == 400
    assert "Trop d'essais" in page_text(response)
    # The owner, elsewhere, is not locked out of their own demande.
    response = _track_from("203.0.113.7", OWNER, filed.display_number, altcha=True)
    assert response["Location"] == f"/demandes/{filed.number}/"


def test_tracking_misses_from_one_ip_block_it_at_exactly_the_limit(filed):
    n = settings.GUICHET_RATE_LIMITS["case_tracking_ip"]["attempts"]
    for number in range(n - 1):
        _track_from("198.51.100.1", f"x{number}@example.fr", numbers.generate(), altcha=True)
    response = _track_from("198.51.100.1", OWNER, filed.display_number, altcha=True)
    assert response["Location"] == f"/demandes/{filed.number}/"
    for number in range(n):
        _track_from("198.51.100.2", f"x{number}@example.fr", numbers.generate(), altcha=True)
    response = _track_from("198.51.100.2", OWNER, filed.display_number, altcha=True)
    assert "Trop d'essais" in page_text(response)


def test_misses_with_an_address_from_many_ips_ask_for_altcha_but_never_lock_the_owner_out(
    filed,
):
    for number in range(6):  # six misses with the owner's address, from six IPs
        _track_from(f"198.51.100.{number + 1}", OWNER, numbers.generate())
    response = _track_from("203.0.113.7", OWNER, filed.display_number)
    assert response.status_code == 400
    assert "une vérification anti-robot est demandée" in page_text(response)
    assert "Trop d'essais" not in page_text(response)
    response = _track_from("203.0.113.7", OWNER, filed.display_number, altcha=True)
    assert response["Location"] == f"/demandes/{filed.number}/"
    # Another address from a fresh IP needs no check.
    response = _track_from("203.0.113.8", "autre@example.fr", numbers.generate())
    assert "anti-robot" not in page_text(response)


def test_signed_link_from_the_email_opens_the_demande(filed, mailoutbox):
    link = next(m for m in mailoutbox if filed.display_number in m.subject).body
    path = link[link.index("/suivre/lien/") :].split()[0]
    client = Client()
    assert client.get(path)["Location"] == f"/demandes/{filed.number}/"
    assert client.get(f"/demandes/{filed.number}/").status_code == 200


def test_expired_or_tampered_link_asks_to_track_by_hand(filed):
    path = tracking.make_link(filed).split("127.0.0.1:8000", 1)[-1]
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    client = Client()
    assert client.get(tampered)["Location"] == "/suivre/"
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get(path)["Location"] == "/suivre/"
    assert client.get(f"/demandes/{filed.number}/").status_code == 404


def test_anonymous_tracker_cannot_see_another_demande(filed, demo_procedures, mailoutbox):
    tracker = Client()
    _track(tracker, "gerant@boulangerie.example", filed.display_number)
    other_client = Client()
    other = start_draft(other_client, "declaration-activite")
    other.answers = {}
    assert tracker.get(f"/demandes/brouillon/{other.pk}/").status_code == 404


def test_applicant_cannot_reply_before_the_service_opens_the_discussion(filed, client):
    _track(client, "gerant@boulangerie.example", filed.display_number)
    response = client.post(f"/demandes/{filed.number}/repondre/", {"body": "Bonjour"})
    assert response.status_code == 400
    assert not CaseMessage.objects.exists()


@pytest.fixture
def awaiting(filed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # the instruction flow already started instruction on submission
        services.case_request_information(
            case=filed, actor=None, body="Merci d'envoyer votre dernier bilan."
        )
    filed.refresh_from_db()
    return filed


def test_a_refused_file_keeps_the_typed_reply(awaiting, client):
    _track(client, "gerant@boulangerie.example", awaiting.display_number)
    bad = SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00 not a pdf at all" * 100)
    response = client.post(
        f"/demandes/{awaiting.number}/repondre/",
        {"body": "Voici mon bilan, bonne journée.", "files": [bad, png_upload("photo.png")]},
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "Voici mon bilan, bonne journée." in body
    assert "bilan.pdf" in body
    assert CaseMessage.objects.filter(author_role=CaseEvent.Role.APPLICANT).count() == 0


def test_reply_with_several_files_reaches_the_service_and_the_workflow(awaiting, client):
    received = []

    def receiver(sender, case, message, **kwargs):
        received.append((case.pk, message.body))

    applicant_replied.connect(receiver)
    try:
        _track(client, "gerant@boulangerie.example", awaiting.display_number)
        response = client.post(
            f"/demandes/{awaiting.number}/repondre/",
            {"body": "Voici mon bilan.", "files": [pdf_upload("bilan.pdf"), png_upload("p.png")]},
        )
    finally:
        applicant_replied.disconnect(receiver)
    assert response.status_code == 302
    reply = CaseMessage.objects.get(author_role=CaseEvent.Role.APPLICANT)
    assert sorted(f.name for f in reply.files.all()) == ["bilan.pdf", "p.png"]
    assert received == [(awaiting.pk, "Voici mon bilan.")]
    page = page_text(client.get(f"/demandes/{awaiting.number}/?onglet=messagerie"))
    assert "Merci d'envoyer votre dernier bilan." in page
    download = client.get(
        f"/demandes/{awaiting.number}/fichiers/{reply.files.get(name='p.png').pk}/"
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_activity_feed_merges_demandes_porte_documents_and_security_events(
    applicant, applicant_client, demo_procedures
):
    from io import BytesIO

    from identity.models import SecurityEvent
    from identity.selectors import space_personal_for
    from locker.services import document_upload
    from tests.support.files import png_bytes

    start_draft(applicant_client, "changement-adresse")
    document_upload(
        space=space_personal_for(user=applicant),
        fileobj=BytesIO(png_bytes()),
        name="rib.png",
        title="Mon RIB",
    )
    SecurityEvent.objects.create(user=applicant, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    page = page_text(applicant_client.get("/activite/"))
    assert "Signaler un changement d'adresse (brouillon) : Brouillon créé" in page
    assert "Porte-documents : Ajout — Mon RIB" in page
    assert "Sécurité du compte : Mot de passe modifié" in page
    assert page.index("Mot de passe modifié") < page.index("Brouillon créé")  # newest first


def test_after_three_misses_the_tracking_form_asks_for_the_anti_robot_check(filed, client):
    for _ in range(settings.GUICHET_ANTIROBOT["tracking"]["ip"]):
        assert not asks_for_altcha(client.get("/suivre/"))
        _track(client, f"x{numbers.generate()}@example.fr", numbers.generate())
    page = client.get("/suivre/")
    assert asks_for_altcha(page)
    assert "Cette vérification a besoin de JavaScript" in page_text(page)

    without_check = _track(client, OWNER, filed.display_number)
    assert without_check.status_code == 400
    assert "Cochez la case « Je ne suis pas un robot »" in page_text(without_check)
    response = client.post(
        "/suivre/", {"email": OWNER, "number": filed.display_number, "altcha": altcha_payload()}
    )
    assert response["Location"] == f"/demandes/{filed.number}/"


@pytest.mark.parametrize("show_names", [False, True])
def test_instructors_appear_by_role_or_by_name_as_configured(
    awaiting, client, settings, django_user_model, show_names
):
    from cases.models import CaseMessage

    settings.GUICHET_SHOW_INSTRUCTOR_NAMES = show_names
    agent = django_user_model.objects.create_user(
        "agent@x.fr", "x", first_name="Inès", last_name="Roy"
    )
    CaseMessage.objects.filter(case=awaiting).update(author=agent)
    _track(client, "gerant@boulangerie.example", awaiting.display_number)
    page = page_text(client.get(f"/demandes/{awaiting.number}/?onglet=messagerie"))
    assert "Le service instructeur" in page
    assert ("Inès Roy" in page) is show_names

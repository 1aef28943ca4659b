"""Who reads an avis (ADR 0408): an expert only the avis given to their own account while
it is open; a withdrawn avis closes access at once; another service's instructor nothing;
the applicant never sees a confidential avis, anywhere; the link is single use and
rate-limited like the other secrets in URLs."""

import io
import zipfile

import pytest
from django.core.cache import cache

from cases.models import Case
from identity.models import User
from tests.support.avis import EXPERT, ask, enrol, link_in
from tests.support.client import CommitClient, page_text
from tests.support.filing import PASSWORD, pdf_upload
from tests.support.instruction import act, checked_case, file_heating_aid, login
from workflows.models import Avis

pytestmark = pytest.mark.django_db

OTHER = "autre.expert@labo.example"
QUESTION = "Le logement est-il conforme aux normes d'isolation ?"
ANSWER = "Avis très réservé sur ce dossier."


@pytest.fixture
def case(applicant_client, instructor_client):
    return checked_case(applicant_client, instructor_client)


def test_an_expert_opens_only_the_avis_given_to_them(
    case, applicant_client, instructor_client, mailoutbox
):
    recto = case.files.get(name="recto.png")
    mine = ask(instructor_client, case)
    expert_client = enrol(link_in(mailoutbox))
    other_case = file_heating_aid(applicant_client, defer_tax_notice=False)
    theirs = ask(instructor_client, other_case, email=OTHER, share=[other_case.files.first()])
    enrol(link_in(mailoutbox, OTHER))
    assert expert_client.get(f"/avis/{mine.pk}/").status_code == 200
    # Another expert's avis, on another demande: not found, nor its shared file.
    assert expert_client.get(f"/avis/{theirs.pk}/").status_code == 404
    shared = theirs.shared_files.get()
    assert expert_client.get(f"/avis/{theirs.pk}/documents/{shared.pk}/").status_code == 404
    assert expert_client.get(f"/avis/{mine.pk}/documents/{shared.pk}/").status_code == 404
    assert expert_client.get(f"/avis/{mine.pk}/documents/{recto.pk}/").status_code == 404
    response = expert_client.post(f"/avis/{theirs.pk}/repondre/", {"answer": "Intrus"})
    assert response.status_code == 404
    # Being an expert opens no demande: neither the instructor's page nor the applicant's.
    for number in (case.number, other_case.number):
        assert expert_client.get(f"/instruction/demandes/{number}/").status_code == 404
        assert expert_client.get(f"/demandes/{number}/").status_code == 404
    assert other_case.display_number not in page_text(expert_client.get("/avis/"))
    # Nobody logged in: to the login page.
    assert CommitClient().get(f"/avis/{mine.pk}/").status_code == 302


def test_a_revoked_avis_closes_access_at_once(case, instructor_client, mailoutbox):
    recto = case.files.get(name="recto.png")
    answered_link_unused = ask(instructor_client, case, email=OTHER)
    avis = ask(instructor_client, case, share=[recto])
    expert_client = enrol(link_in(mailoutbox))
    assert expert_client.get(f"/avis/{avis.pk}/documents/{recto.pk}/").status_code == 200
    for revoked in (avis, answered_link_unused):
        url = f"/instruction/demandes/{case.number}/avis/{revoked.pk}/retirer/"
        assert instructor_client.post(url).status_code == 302
    assert expert_client.get(f"/avis/{avis.pk}/").status_code == 404
    assert expert_client.get(f"/avis/{avis.pk}/documents/{recto.pk}/").status_code == 404
    assert expert_client.post(f"/avis/{avis.pk}/repondre/", {"answer": "x"}).status_code == 404
    assert "Retiré" in page_text(expert_client.get("/avis/"))
    # The link that was never used is refused with a clear page.
    refused = CommitClient().get(link_in(mailoutbox, OTHER))
    assert refused.status_code == 404
    assert "Le service a retiré sa demande d'avis." in page_text(refused)
    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert "Demande d'avis retirée" in page
    assert f"Relancer {EXPERT}" not in page  # nothing more to do on it


def test_another_service_cannot_ask_read_or_withdraw(case, instructor_client, other_instructor):
    avis = ask(instructor_client, case)
    stranger = login(other_instructor)
    base = f"/instruction/demandes/{case.number}/avis/"
    assert stranger.post(base, {"avis-email": OTHER}).status_code == 404
    assert stranger.post(f"{base}{avis.pk}/retirer/").status_code == 404
    assert stranger.post(f"{base}{avis.pk}/relancer/").status_code == 404
    avis.refresh_from_db()
    assert avis.status == Avis.Status.PENDING


def test_a_confidential_avis_is_invisible_to_the_applicant_everywhere(
    case, applicant, applicant_client, instructor_client, mailoutbox
):
    avis = ask(instructor_client, case, confidential="on", share=[case.files.first()])
    expert_client = enrol(link_in(mailoutbox))
    expert_client.post(
        f"/avis/{avis.pk}/repondre/", {"answer": ANSWER, "files": [pdf_upload("rapport.pdf")]}
    )
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted")
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED
    secrets = ("avis a été demandé", "expert", QUESTION, ANSWER, "rapport.pdf", EXPERT)
    pages = [f"/demandes/{case.number}/?onglet={tab}" for tab in ("resume", "historique")]
    pages += [f"/demandes/{case.number}/?onglet=messagerie", "/activite/", "/mes-demarches/"]
    for url in pages:
        text = page_text(applicant_client.get(url))
        assert not [s for s in secrets if s.lower() in text.lower()], url
    # Emails: the applicant got their usual ones, none of them about the avis.
    to_applicant = [m for m in mailoutbox if m.to == [applicant.email]]
    assert to_applicant
    for message in to_applicant:
        body = message.body + "".join(str(a[0]) for a in message.alternatives)
        assert not [s for s in secrets if s.lower() in (message.subject + body).lower()]
    # The ZIP of the demande (the applicant's export) holds nothing of it either.
    archive = applicant_client.get(f"/demandes/{case.number}/archive.zip")
    content = b"".join(archive.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        names = zipped.namelist()
        text = " ".join(zipped.read(n).decode("latin-1") for n in names)
    assert not [n for n in names if "rapport" in n]
    assert ANSWER not in text
    assert QUESTION not in text
    # The instructors see it, marked confidential.
    page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert ANSWER in page
    assert "Confidentiel" in page


def test_a_non_confidential_avis_shows_one_line_to_the_applicant(
    case, applicant_client, instructor_client, mailoutbox
):
    ask(instructor_client, case)
    text = page_text(applicant_client.get(f"/demandes/{case.number}/?onglet=historique"))
    assert "Un avis a été demandé à un expert" in text
    assert QUESTION not in text
    assert EXPERT not in text


def test_an_existing_account_logs_in_then_takes_the_avis(case, instructor_client, mailoutbox):
    avis = ask(instructor_client, case)
    link = link_in(mailoutbox)
    User.objects.create_user(EXPERT, PASSWORD)
    page = page_text(CommitClient().get(link))
    assert "Vous avez déjà un compte" in page
    assert f"/compte/login/?next={link}" in page
    someone_else = CommitClient()
    someone_else.force_login(User.objects.create_user(OTHER, PASSWORD))
    assert "adressée à une autre adresse" in page_text(someone_else.get(link))
    assert someone_else.post(link).status_code == 200  # nothing taken
    expert_client = CommitClient()
    expert_client.force_login(User.objects.get(email=EXPERT))
    response = expert_client.post(link)
    assert response["Location"] == f"/avis/{avis.pk}/"
    assert expert_client.get(f"/avis/{avis.pk}/").status_code == 200
    assert someone_else.get(f"/avis/{avis.pk}/").status_code == 404
    assert "Ce lien a déjà servi" in page_text(expert_client.get(link))


def test_links_that_do_not_check_out_are_limited_per_ip(
    case, instructor_client, mailoutbox, settings
):
    cache.clear()
    settings.GUICHET_RATE_LIMITS = {
        **settings.GUICHET_RATE_LIMITS,
        "avis_link_ip": {"attempts": 3, "window": 900, "backoff": 300, "max_backoff": 3600},
    }
    ask(instructor_client, case)
    link = link_in(mailoutbox)
    client = CommitClient()
    for _ in range(3):
        forged = client.get(link[:-3] + "xx/")
        assert forged.status_code == 404
        assert "Ce lien n'est pas valable" in page_text(forged)
    blocked = client.get(link)  # even the genuine link waits now
    assert blocked.status_code == 429
    assert "Trop d'essais" in page_text(blocked)
    cache.clear()

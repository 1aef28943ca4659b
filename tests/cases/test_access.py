"""Who reaches a demande: every applicant URL that carries one (collected from cases/urls.py),
called by people who must get a 404, then by the owner, who must not."""

import pytest

from cases import urls as case_urls
from cases.models import Case, CaseMessage
from identity.models import User
from tests.support.client import CommitClient as Client
from tests.support.filing import AID_ANSWERS, PASSWORD, file_demande, png_upload, start_draft

from .test_following import _track

pytestmark = pytest.mark.django_db

CASE_PARAMETERS = {"number", "case_id"}


def urls_carrying_a_demande() -> list[str]:
    return sorted(
        p.name for p in case_urls.urlpatterns if CASE_PARAMETERS & set(p.pattern.converters)
    )


# How to call each of them on the victim's demande: (method, URL, data). ``v`` gives the
# victim's submitted demande, its filed document, its draft and the draft's file.
REQUESTS = {
    "case_submitted": [("get", "/demandes/{number}/deposee/", None)],
    "case_detail": [
        ("get", "/demandes/{number}/", None),
        ("get", "/demandes/{number}/?onglet=messagerie", None),  # the reply form
    ],
    "case_reply": [("post", "/demandes/{number}/repondre/", {"body": "Voici mon avis."})],
    "case_file_download": [("get", "/demandes/{number}/fichiers/{file}/", None)],
    "case_receipt": [("get", "/demandes/{number}/recepisse.pdf", None)],
    "case_archive": [("get", "/demandes/{number}/archive.zip", None)],
    "case_extend": [("post", "/demandes/{number}/prolonger/", {})],
    "draft_edit": [
        ("get", "/demandes/brouillon/{draft}/", None),
        ("post", "/demandes/brouillon/{draft}/", {"nom": "Intrus"}),
    ],
    "draft_remove_file": [
        ("post", "/demandes/brouillon/{draft}/fichiers/{draft_file}/retirer/", {})
    ],
    "draft_review": [
        ("get", "/demandes/brouillon/{draft}/verifier/", None),
        ("post", "/demandes/brouillon/{draft}/verifier/", {"deposer": "1"}),
    ],
    "draft_email": [
        ("get", "/demandes/brouillon/{draft}/courriel/", None),
        ("post", "/demandes/brouillon/{draft}/courriel/", {"email": "x@example.fr", "send": "1"}),
    ],
}


def _heating_aid(client, *, submit=True) -> Case:
    """The heating aid with the identity document; the tax notice "plus tard", so the
    service's automatic request opens the discussion."""
    answers = {**AID_ANSWERS, "file__piece_identite": png_upload("recto.png")}
    if submit:
        return file_demande(client, "aide-chauffage", {**answers, "avis_imposition__later": "on"})
    draft = start_draft(client, "aide-chauffage")
    client.post(f"/demandes/brouillon/{draft.pk}/", answers)
    return draft


@pytest.fixture
def victim(demo_procedures):
    user = User.objects.create_user("victime@example.fr", PASSWORD)
    client = Client()
    client.force_login(user)
    case = _heating_aid(client)
    assert case.discussion_open
    draft = _heating_aid(client, submit=False)
    values = {
        "number": case.number,
        "file": case.files.get(message__isnull=True).pk,
        "draft": draft.pk,
        "draft_file": draft.files.get().pk,
    }
    return client, case, values


@pytest.fixture
def intruders(demo_procedures, filed):
    """Another account holder (with a demande of their own), someone whose session tracks
    another demande, and an anonymous visitor."""
    other_account = Client()
    other_account.force_login(User.objects.create_user("voisin@example.fr", PASSWORD))
    _heating_aid(other_account)
    tracker = Client()
    assert _track(tracker, "gerant@boulangerie.example", filed.display_number).status_code == 302
    return {
        "another account": other_account,
        "tracks another demande": tracker,
        "anonymous": Client(),
    }


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("name", urls_carrying_a_demande())
def test_only_the_owner_reaches_a_demande_through_any_applicant_url(name, victim, intruders):
    assert name in REQUESTS, f"{name} carries a demande: list how to call it in REQUESTS"
    owner, _case, values = victim
    messages_before = CaseMessage.objects.count()
    reached = []
    for method, url, data in REQUESTS[name]:
        target = url.format(**values)
        for who, client in intruders.items():
            status = _call(client, method, target, data).status_code
            if status != 404:
                reached.append(f"{who}: {method.upper()} {target} answered {status}")
    assert reached == []
    assert CaseMessage.objects.count() == messages_before  # no intruder wrote in the thread
    for method, url, data in REQUESTS[name]:
        target = url.format(**values)
        assert _call(owner, method, target, data).status_code != 404, target


def test_a_file_of_another_demande_is_not_reached_through_ones_own(victim, intruders):
    _owner, case, values = victim
    other_account = intruders["another account"]
    own = Case.objects.exclude(pk=case.pk).get(
        created_by__email="voisin@example.fr", number__isnull=False
    )
    response = other_account.get(f"/demandes/{own.number}/fichiers/{values['file']}/")
    assert response.status_code == 404
    assert other_account.get(f"/demandes/{own.number}/").status_code == 200

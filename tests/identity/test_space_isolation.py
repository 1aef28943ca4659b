"""Isolation of spaces (ADR 0308): every URL of the project's apps that carries an object
id — found by walking the URL resolver — is either called here on an organisation's
objects, or listed in ``NOT_A_SPACE_OBJECT`` with the reason and the test that guards it.

A member of another organisation and a member just removed from this one (whose session
still names the space, and who filed its demande: the session also holds the tracking
grant of the submission) get a 404 from each; a member of the space (a manager for the
management pages) does not. A new URL with a converter fails this test until it is listed.
"""

from io import BytesIO

import pytest
from django.urls import URLResolver, get_resolver, reverse

from cases.administration import urls as administration_urls
from cases.models import CaseMessage
from identity.models import Membership, OtpCard, SpaceInvitation, TotpDevice
from identity.services import (
    card_link_confirm,
    card_link_physical_start,
    membership_invite,
    membership_remove,
)
from identity.services.cards import card_available
from locker.models import Document
from tests.support.client import page_text
from tests.support.files import pdf_bytes
from tests.support.filing import AID_ANSWERS, file_demande, png_upload, start_draft
from tests.support.organisations import add_member, card_stock, client_for, organisation, person

pytestmark = pytest.mark.django_db

APPS = {"identity", "locker", "cases", "workflows", "cms"}

# URLs with an id that is not an object of a space, and where their own rule is tested.
NOT_A_SPACE_OBJECT = {
    "identity:totp_remove": "the user's own device (tests/identity/test_account_pages.py)",
    "identity:phone_verify": "a signed token for one number (tests/identity/test_account_pages.py)",
    "identity:invitation": "a signed token for one address (tests/identity/test_members.py)",
    "identity:invitation_send_code": "same signed token (tests/identity/test_members.py)",
    "identity:invitation_code": "same signed token (tests/identity/test_members.py)",
    "identity:activation_confirm": "a signed activation token for one pre-registered person "
    "(tests/identity/test_preregistered_activation.py)",
    "identity:terms_version": "a published CGU version, public (tests/identity/test_terms.py)",
    "identity:charter": "the charter of a kind of space, public (tests/identity/test_terms.py)",
    "identity:charter_version": "a published charter version, public "
    "(tests/identity/test_terms.py)",
    "identity:federation_login": "the name of an identity federation "
    "(tests/identity/test_federation.py)",
    "identity:federation_callback": "same (tests/identity/test_federation.py)",
    "identity:federation_logout_done": "same (tests/identity/test_federation.py)",
    "identity:federation_link": "same, the user's own account (tests/identity/test_federation.py)",
    "identity:federation_unlink": "same, the user's own account "
    "(tests/identity/test_federation.py)",
    "cases:procedure_start": "a démarche, public (tests/cases/test_filing.py)",
    # Every URL of a démarche's administration (a démarche, not a space's object): its
    # administrators only, each URL listed and checked in
    # tests/cases/administration/test_views.py (a new one fails there until listed).
    **{
        f"cases:{pattern.name}": "a démarche's administration, its administrators only "
        "(tests/cases/administration/test_views.py)"
        for pattern in administration_urls.urlpatterns
        if pattern.pattern.converters  # the import and creation pages carry no id
    },
    "cases:track_link": "a signed link; an organisation's demande needs a member "
    "(tests/identity/test_spaces.py)",
    "workflows:export_download": "instruction: a service's export, its instructors only "
    "(tests/workflows)",
    "workflows:case": "instruction: a service's demandes, its instructors only (tests/workflows)",
    "workflows:case_file": "instruction (tests/workflows)",
    "workflows:case_message": "instruction (tests/workflows)",
    "workflows:case_note": "instruction (tests/workflows)",
    "workflows:case_reopen": "instruction (tests/workflows)",
    "workflows:task_take": "instruction: a flow task (tests/workflows)",
    "workflows:task_assign": "instruction: a flow task (tests/workflows)",
    "workflows:task_release": "instruction: a flow task (tests/workflows)",
    "workflows:task_execute": "instruction: a flow task (tests/workflows)",
    "workflows:avis_ask": "instruction (tests/workflows/test_avis_access.py)",
    "workflows:avis_remind": "instruction (tests/workflows/test_avis_access.py)",
    "workflows:avis_revoke": "instruction (tests/workflows/test_avis_access.py)",
    "workflows:avis_answer_file": "instruction (tests/workflows/test_avis_access.py)",
    "workflows:avis_invitation": "a signed token for one expert's avis "
    "(tests/workflows/test_avis_access.py)",
    "workflows:avis_detail": "an avis given to the expert's own account "
    "(tests/workflows/test_avis_access.py)",
    "workflows:avis_answer": "same (tests/workflows/test_avis_access.py)",
    "workflows:avis_shared_file": "same, a file the instructor shared with that avis "
    "(tests/workflows/test_avis_access.py)",
}


def _walk(patterns, namespace=None, converters=()):
    for pattern in patterns:
        found = (*converters, *pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            name = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern.url_patterns, name, found)
        else:
            module = getattr(pattern.callback, "__module__", "")
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, found, module.split(".")[0]


def urls_with_an_object_id() -> list[str]:
    """Names of the URLs of our apps whose route carries a converter."""
    return sorted(
        {
            name
            for name, converters, app in _walk(get_resolver().url_patterns)
            if converters and app in APPS
        }
    )


# How to call each on the organisation's objects: (method, URL, data, who may reach it).
# "member": a member acting in the space; "manager": its manager, with a card login.
SPACE = [
    ("cases:case_submitted", "get", "/demandes/{number}/deposee/", None),
    ("cases:case_detail", "get", "/demandes/{number}/", None),
    ("cases:case_detail", "get", "/demandes/{number}/?onglet=messagerie", None),
    ("cases:case_reply", "post", "/demandes/{number}/repondre/", {"body": "Voici."}),
    ("cases:case_file_download", "get", "/demandes/{number}/fichiers/{file}/", None),
    ("cases:case_receipt", "get", "/demandes/{number}/recepisse.pdf", None),
    ("cases:case_archive", "get", "/demandes/{number}/archive.zip", None),
    ("cases:case_extend", "post", "/demandes/{number}/prolonger/", {}),
    ("cases:draft_edit", "get", "/demandes/brouillon/{draft}/", None),
    ("cases:draft_edit", "post", "/demandes/brouillon/{draft}/", {"nom": "Intrus"}),
    (
        "cases:draft_remove_file",
        "post",
        "/demandes/brouillon/{draft}/fichiers/{draft_file}/retirer/",
        {},
    ),
    ("cases:draft_review", "get", "/demandes/brouillon/{draft}/verifier/", None),
    ("cases:draft_review", "post", "/demandes/brouillon/{draft}/verifier/", {"deposer": "1"}),
    ("cases:draft_email", "get", "/demandes/brouillon/{draft}/courriel/", None),
    ("locker:edit", "get", "/porte-documents/{document}/modifier/", None),
    (
        "locker:edit",
        "post",
        "/porte-documents/{document}/modifier/",
        {"title": "Intrus", "kind": "other"},
    ),
    ("locker:replace", "get", "/porte-documents/{document}/remplacer/", None),
    ("locker:replace", "post", "/porte-documents/{document}/remplacer/", {}),
    ("locker:delete", "get", "/porte-documents/{document}/supprimer/", None),
    ("locker:delete", "post", "/porte-documents/{document}/supprimer/", {}),
    ("locker:download", "get", "/porte-documents/{document}/telecharger/", None),
]
MANAGEMENT = [
    ("identity:space_member", "get", "/espaces/gestion/membres/{member}/", None),
    (
        "identity:space_member_role",
        "post",
        "/espaces/gestion/membres/{member}/role/",
        {"role": "co_manager"},
    ),
    ("identity:space_member_remove", "get", "/espaces/gestion/membres/{member}/retirer/", None),
    ("identity:space_member_remove", "post", "/espaces/gestion/membres/{member}/retirer/", {}),
    (
        "identity:space_card_physical",
        "get",
        "/espaces/gestion/membres/{member}/carte-physique/",
        None,
    ),
    (
        "identity:space_card_physical",
        "post",
        "/espaces/gestion/membres/{member}/carte-physique/",
        {"serial": "CARD-2"},
    ),
    (
        "identity:space_card_digital",
        "post",
        "/espaces/gestion/membres/{member}/carte-numerique/",
        {},
    ),
    (
        "identity:space_card_confirm",
        "get",
        "/espaces/gestion/membres/{member}/carte/confirmer/",
        None,
    ),
    (
        "identity:space_card_confirm",
        "post",
        "/espaces/gestion/membres/{member}/carte/confirmer/",
        {"code": "123456"},
    ),
    ("identity:space_card_lost", "get", "/espaces/gestion/cartes/{card}/perdue/", None),
    ("identity:space_card_lost", "post", "/espaces/gestion/cartes/{card}/perdue/", {}),
    (
        "identity:space_invitation_revoke",
        "post",
        "/espaces/gestion/invitations/{invitation}/annuler/",
        {},
    ),
]
REQUESTS = {}
for _who, _rows in (("member", SPACE), ("manager", MANAGEMENT)):
    for _name, _method, _url, _data in _rows:
        REQUESTS.setdefault(_name, []).append((_method, _url, _data, _who))


@pytest.fixture
def scene(demo_procedures):
    """Organisation X: its manager, a member, and a co-manager who filed a demande, kept
    a draft and a document there, and is then removed. Organisation Y: its manager."""
    manager = person("gerante@x.example", "Gaëlle", "Rivière")
    space = organisation(manager, "Organisation X")
    member = add_member(space, person("membre@x.example", "Marc", "Lemoine"))
    leaving = add_member(space, person("partant@x.example"), Membership.Role.CO_MANAGER)
    other_manager = person("gerant@y.example")
    other = organisation(other_manager, "Organisation Y")

    removed = client_for(leaving.user, space, strong=True)
    answers = {**AID_ANSWERS, "file__piece_identite": png_upload("recto.png")}
    case = file_demande(removed, "aide-chauffage", {**answers, "avis_imposition__later": "on"})
    assert case.space == space
    assert case.discussion_open
    draft = start_draft(removed, "aide-chauffage")
    removed.post(
        f"/demandes/brouillon/{draft.pk}/",
        {**answers, "file__piece_identite": png_upload("brouillon.png")},
    )
    upload = BytesIO(pdf_bytes())
    upload.name = "statuts.pdf"
    removed.post(reverse("locker:upload"), {"files": [upload], "title": "Statuts", "kind": "other"})
    document = Document.objects.get(space=space)

    totp = card_stock(("CARD-1", 30), ("CARD-2", 30))["CARD-1"]
    device = card_link_physical_start(membership=member, card=card_available(serial="CARD-1"))
    assert (
        card_link_confirm(
            device=device, code=totp.now(), by=manager, card=OtpCard.objects.get(serial="CARD-1")
        )
        == "ok"
    )
    invitation = membership_invite(
        space=space, by=manager, email="invite@x.example", phone="+33612345678", role="member"
    )
    # Before removal the co-manager reached it all.
    assert removed.get(f"/demandes/{case.number}/").status_code == 200
    assert removed.get(f"/espaces/gestion/membres/{member.pk}/").status_code == 200
    membership_remove(membership=leaving, by=manager)

    values = {
        "number": case.number,
        "file": case.files.get(message__isnull=True).pk,
        "draft": draft.pk,
        "draft_file": draft.files.get().pk,
        "document": document.pk,
        "member": member.pk,
        "card": device.pk,
        "invitation": invitation.pk,
    }
    intruders = {
        "member of another space": client_for(other_manager, other, strong=True),
        "removed member": removed,
    }
    insiders = {
        "member": client_for(member.user, space),
        "manager": client_for(manager, space, strong=True),
    }
    return values, intruders, insiders


def _state():
    """What an intruder's request must not change."""
    return (
        CaseMessage.objects.count(),
        list(Document.objects.values_list("title", "storage_key")),
        list(Membership.objects.values_list("pk", "role")),
        list(TotpDevice.objects.values_list("pk", "confirmed_at")),
        list(SpaceInvitation.objects.values_list("pk", "revoked_at")),
    )


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize(
    "name", [n for n in urls_with_an_object_id() if n not in NOT_A_SPACE_OBJECT]
)
def test_objects_of_a_space_are_a_404_for_anyone_outside_it(name, scene):
    assert name in REQUESTS, (
        f"{name} carries an object id: list how to call it on a space's object in "
        "SPACE or MANAGEMENT, or say in NOT_A_SPACE_OBJECT why it is not one"
    )
    values, intruders, insiders = scene
    before = _state()
    reached = []
    for method, url, data, _who in REQUESTS[name]:
        target = url.format(**values)
        for who, client in intruders.items():
            response = _call(client, method, target, data)
            if response.status_code != 404:
                reached.append(f"{who}: {method.upper()} {target} answered {response.status_code}")
    assert reached == []
    assert _state() == before
    for method, url, data, who in REQUESTS[name]:
        target = url.format(**values)
        response = _call(insiders[who], method, target, data)
        assert response.status_code != 404, (who, target, page_text(response)[:500])


def test_the_exceptions_are_urls_that_exist():
    stale = sorted(set(NOT_A_SPACE_OBJECT) - set(urls_with_an_object_id()))
    assert stale == []

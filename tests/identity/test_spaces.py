"""The current space (ADR 0308): the header says which space a page acts in and switches it
(a form, no JavaScript); filing, "Mes démarches", the activity feed, the porte-documents
and notification preferences act in it; a member removed since their last request falls
back to their personal space."""

from io import BytesIO

import pytest
from django.urls import reverse

from cases.models import Case, NotificationPreference
from identity.models import Membership, SpaceEvent
from identity.selectors import space_personal_for
from locker.models import Document
from tests.support.client import page_text
from tests.support.files import pdf_bytes
from tests.support.filing import MOVE_ANSWERS, file_demande
from tests.support.organisations import add_member, client_for, organisation, person

pytestmark = pytest.mark.django_db

MOVE = {**MOVE_ANSWERS, "justificatif_domicile__later": "on"}


@pytest.fixture
def manager(db):
    return person("gerante@asso.example", "Gaëlle", "Rivière")


@pytest.fixture
def org(manager):
    return organisation(manager)


@pytest.fixture
def member(org):
    user = person("membre@asso.example", "Marc", "Lemoine")
    add_member(org, user)
    return user


def _active_space(response) -> str:
    page = page_text(response)
    start = page.index('data-testid="espace-actif">') + len('data-testid="espace-actif">')
    return page[start : page.index("<", start)]


def test_every_page_says_which_space_is_active_and_the_switch_is_a_plain_form(member, org):
    client = client_for(member)
    page = client.get(reverse("cases:my_cases"))
    assert _active_space(page) == "Mon espace personnel"
    html = page.content.decode()
    # Without JavaScript: a POST form with its CSRF token, a select and a button.
    form = html[html.index(f'action="{reverse("identity:space_switch")}"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<option value="{org.pk}"' in form
    assert "Changer d'espace" in form

    response = client.post(
        reverse("identity:space_switch"), {"space": org.pk, "next": reverse("locker:list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("locker:list")  # same list, other space
    for url in (reverse("locker:list"), reverse("cases:activity"), reverse("identity:security")):
        assert _active_space(client.get(url)) == org.name, url


def test_switching_goes_to_my_cases_from_a_page_of_one_object(member, org):
    client = client_for(member)
    response = client.post(
        reverse("identity:space_switch"), {"space": org.pk, "next": "/demandes/ABC/"}
    )
    assert response["Location"] == reverse("cases:my_cases")
    response = client.post(
        reverse("identity:space_switch"), {"space": org.pk, "next": "https://ailleurs.example/"}
    )
    assert response["Location"] == reverse("cases:my_cases")


def test_a_space_one_does_not_belong_to_cannot_be_switched_to(member, org):
    stranger = person("passant@example.fr")
    client = client_for(stranger)
    assert client.post(reverse("identity:space_switch"), {"space": org.pk}).status_code == 404
    assert _active_space(client.get(reverse("cases:my_cases"))) == "Mon espace personnel"
    assert client.get(reverse("identity:space_switch")).status_code == 405  # POST only


def test_a_demande_filed_in_the_organisation_belongs_to_it_only(member, org, demo_procedures):
    client = client_for(member, org)
    case = file_demande(client, "changement-adresse", MOVE)
    assert case.space == org
    assert case.status != Case.Status.DRAFT
    assert case.number in page_text(client.get(reverse("cases:my_cases")))
    assert case.number in page_text(client.get(reverse("cases:activity")))
    assert client.get(reverse("cases:case_detail", args=[case.number])).status_code == 200

    client.post(reverse("identity:space_switch"), {"space": space_personal_for(user=member).pk})
    assert case.number not in page_text(client.get(reverse("cases:my_cases")))
    assert case.number not in page_text(client.get(reverse("cases:activity")))
    # Another space's demande is out of reach from here, even for its own filer.
    assert client.get(reverse("cases:case_detail", args=[case.number])).status_code == 404


def test_the_porte_documents_is_the_current_spaces(member, org):
    client = client_for(member, org)
    upload = BytesIO(pdf_bytes())
    upload.name = "statuts.pdf"
    response = client.post(
        reverse("locker:upload"), {"files": [upload], "title": "Statuts", "kind": "other"}
    )
    assert response.status_code == 302, page_text(response)[:2000]
    document = Document.objects.get(title="Statuts")
    assert document.space == org
    assert "Statuts" in page_text(client.get(reverse("locker:list")))
    assert client.get(reverse("locker:download", args=[document.pk])).status_code == 200

    client.post(reverse("identity:space_switch"), {"space": space_personal_for(user=member).pk})
    assert "Statuts" not in page_text(client.get(reverse("locker:list")))
    assert client.get(reverse("locker:download", args=[document.pk])).status_code == 404


def test_notification_preferences_are_chosen_per_space(member, org):
    client = client_for(member, org)
    client.post(reverse("cases:notification_preferences"), {})  # every email off, here only
    assert set(
        NotificationPreference.objects.filter(user=member).values_list("space", "email")
    ) == {(org.pk, False)}
    assert 'name="email_message" >' in page_text(
        client.get(reverse("cases:notification_preferences"))
    )
    client.post(reverse("identity:space_switch"), {"space": space_personal_for(user=member).pk})
    page = page_text(client.get(reverse("cases:notification_preferences")))
    assert 'name="email_message" checked' in page  # the personal space keeps the default


def test_the_organisation_activity_feed_shows_who_did_what(member, org, manager):
    client = client_for(member, org)
    SpaceEvent.objects.create(
        space=org, kind=SpaceEvent.Kind.INVITED, actor_name="Gaëlle Rivière", detail="x"
    )
    page = page_text(client.get(reverse("cases:activity")))
    assert "Invitation envoyée" in page
    assert "Gaëlle Rivière" in page
    # Their own security log is not the organisation's business.
    assert "Sécurité du compte" not in page


def test_a_removed_member_falls_back_to_their_personal_space_at_the_next_request(
    member, org, demo_procedures
):
    client = client_for(member, org)
    case = file_demande(client, "changement-adresse", MOVE)
    Membership.objects.filter(user=member, space=org).delete()  # the manager removed them

    response = client.get(reverse("cases:case_detail", args=[case.number]))
    assert response.status_code == 404
    page = page_text(client.get(reverse("cases:my_cases")))
    assert _active_space(client.get(reverse("cases:my_cases"))) == "Mon espace personnel"
    assert case.number not in page
    assert client.post(reverse("identity:space_switch"), {"space": org.pk}).status_code == 404


def test_the_fallback_is_told_once(member, org):
    client = client_for(member, org)
    Membership.objects.filter(user=member, space=org).delete()
    first = page_text(client.get(reverse("cases:my_cases")))
    assert "Vous n'avez plus accès à l'espace" in first
    assert "Vous n'avez plus accès à l'espace" not in page_text(
        client.get(reverse("cases:my_cases"))
    )


def test_an_emailed_link_to_an_organisation_demande(member, org, demo_procedures):
    """The email's link takes a member to the demande in its space; anyone else needs to
    log in as a member; the tracking form does not open an organisation's demande."""
    from cases import tracking

    client = client_for(member, org)
    case = file_demande(client, "changement-adresse", MOVE)
    link = reverse("cases:track_link", args=[tracking.make_link(case).rsplit("/", 2)[-2]])
    client.post(reverse("identity:space_switch"), {"space": space_personal_for(user=member).pk})
    response = client.get(link)
    assert response["Location"] == reverse("cases:case_detail", args=[case.number])
    assert _active_space(client.get(response["Location"])) == org.name

    anonymous = client_for(person("ancien@asso.example"))
    anonymous.logout()
    response = anonymous.get(link)
    assert response["Location"].startswith(reverse("account_login"))
    assert anonymous.get(reverse("cases:case_detail", args=[case.number])).status_code == 404
    response = anonymous.post(
        reverse("cases:track"), {"email": member.email, "number": case.number}
    )
    assert response.status_code == 400  # one generic miss, as for an unknown number

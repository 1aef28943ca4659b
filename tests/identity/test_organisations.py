"""Adding an association, and becoming manager of a pre-registered organisation by its
member number (ADR 0308), through the views; the import of organisations by command and
in the admin."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from identity.models import Membership, Space, SpaceEvent
from tests.support.client import page_text
from tests.support.organisations import (
    LA_POSTE_SIRET,
    RNA,
    SIRET,
    add_member,
    client_for,
    person,
    preregistered,
)

pytestmark = pytest.mark.django_db

ADD = reverse("identity:organisation_add")
CLAIM = reverse("identity:organisation_claim")
CONFIRM = reverse("identity:organisation_claim_confirm")
UNKNOWN = "Ce numéro ne permet pas de devenir gestionnaire."


@pytest.fixture
def camille(db):
    return person("camille@example.fr", "Camille", "Martin")


def _add(client, **fields):
    data = {"name": "Jardins partagés", "organisation_kind": "association", **fields}
    return client.post(ADD, data)


@pytest.mark.parametrize(
    "fields",
    [{}, {"siret": SIRET}, {"siret": "356 000 000 49837"}, {"rna": RNA.lower()}],
    ids=["nothing", "siret", "la-poste-siret", "rna"],
)
def test_adding_an_association_makes_its_creator_manager(camille, fields):
    client = client_for(camille)
    response = _add(client, **fields)
    assert response.status_code == 302
    space = Space.objects.get(name="Jardins partagés")
    assert space.kind == Space.Kind.ORGANISATION
    assert Membership.objects.get(space=space).user == camille
    assert Membership.objects.get(space=space).role == Membership.Role.MANAGER
    assert space.siret == fields.get("siret", "").replace(" ", "")
    assert space.rna == fields.get("rna", "").upper()
    assert SpaceEvent.objects.get(space=space).kind == SpaceEvent.Kind.CREATED
    assert "Jardins partagés" in page_text(client.get(reverse("cases:my_cases")))  # now active
    assert LA_POSTE_SIRET == "35600000049837"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"siret": "73282932000075"}, "un chiffre est sans doute mal recopié"),
        ({"siret": "7328293200007"}, "Le numéro SIRET compte 14 chiffres"),
        ({"siret": "35600000049838"}, "un chiffre est sans doute mal recopié"),
        ({"rna": "W12345678"}, "W, suivi de 9 chiffres"),
        ({"rna": "A123456789"}, "W, suivi de 9 chiffres"),
        ({"name": ""}, "Champ requis."),
    ],
)
def test_a_wrong_siret_or_rna_is_refused_with_its_reason(camille, fields, message):
    client = client_for(camille)
    response = _add(client, **fields)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Space.objects.filter(kind=Space.Kind.ORGANISATION).exists()


def test_claim_by_member_number_and_charter(camille):
    space = preregistered("Club de voile", "123456", SIRET)
    client = client_for(camille)
    response = client.post(CLAIM, {"member_number": " 123456 "})
    assert response["Location"] == CONFIRM
    page = page_text(client.get(CONFIRM))
    assert "Club de voile" in page
    assert SIRET in page
    response = client.post(CONFIRM, {})
    assert "Acceptez la charte pour devenir gestionnaire." in page_text(response)
    assert not Membership.objects.filter(space=space).exists()

    response = client.post(CONFIRM, {"charter": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(space=space)
    assert (membership.user, membership.role) == (camille, Membership.Role.MANAGER)
    assert membership.charter_accepted_at is not None
    assert SpaceEvent.objects.get(space=space).kind == SpaceEvent.Kind.CLAIMED
    assert "Club de voile" in page_text(client.get(reverse("cases:my_cases")))


def test_the_member_number_of_an_organisation_with_a_manager_only_names_the_manager(camille):
    space = preregistered("Club de voile", "123456")
    add_member(space, person("chef@voile.example", "Hugo", "Marin"), Membership.Role.MANAGER)
    client = client_for(camille)
    response = client.post(CLAIM, {"member_number": "123456"})
    page = page_text(response)
    assert response.status_code == 200
    assert "a déjà un gestionnaire" in page
    assert "Hugo Marin" in page
    assert CONFIRM not in page
    assert 'name="charter"' not in page
    # Going to the confirmation anyway changes nothing.
    assert client.get(CONFIRM)["Location"] == CLAIM
    assert not Membership.objects.filter(space=space, user=camille).exists()


def test_a_claim_started_before_someone_else_became_manager_fails(camille):
    space = preregistered("Club de voile", "123456")
    client = client_for(camille)
    client.post(CLAIM, {"member_number": "123456"})
    add_member(space, person("chef@voile.example", "Hugo", "Marin"), Membership.Role.MANAGER)
    response = client.post(CONFIRM, {"charter": "on"})
    assert "Hugo Marin" in page_text(response)
    assert not Membership.objects.filter(space=space, user=camille).exists()


@pytest.mark.parametrize("number", ["999999", "12345", "abcdef", "1234567"])
def test_a_wrong_member_number_gets_one_generic_message(camille, number):
    preregistered("Club de voile", "123456")
    response = client_for(camille).post(CLAIM, {"member_number": number})
    assert response.status_code == 400
    page = page_text(response)
    assert UNKNOWN in page or "Le numéro d'adhérent compte 6 chiffres." in page
    assert "Club de voile" not in page


def test_claim_attempts_are_limited_per_account(camille):
    """Every number that does not make the person manager counts: the N-th still answers,
    the next one is refused even with the right number."""
    preregistered("Club de voile", "123456")
    client = client_for(camille)
    attempts = settings.GUICHET_RATE_LIMITS["org_claim_account"]["attempts"]
    for n in range(attempts):
        response = client.post(CLAIM, {"member_number": f"90000{n}"})
        assert UNKNOWN in page_text(response), n
    response = client.post(CLAIM, {"member_number": "123456"})
    assert "Trop de tentatives" in page_text(response)
    assert client.get(CONFIRM)["Location"] == CLAIM
    # Another account from elsewhere is not blocked by these failures.
    other = client_for(person("autre@example.fr"))
    response = other.post(CLAIM, {"member_number": "123456"}, REMOTE_ADDR="10.1.2.3")
    assert response["Location"] == CONFIRM


CSV = (
    "nom;numero;siret\n"
    f"Club de voile;123456;{SIRET}\n"
    "Chorale;654321;\n"
    f"Mauvais;12;{SIRET}\n"
    "Faux siret;111111;73282932000075\n"
)


def test_import_command(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text(CSV)
    with pytest.raises(CommandError, match="2 line"):
        call_command("import_organisations", str(path))
    assert set(Space.objects.values_list("member_number", "name", "siret")) >= {
        ("123456", "Club de voile", SIRET),
        ("654321", "Chorale", ""),
    }
    assert not Space.objects.filter(member_number__in=["12", "111111"]).exists()
    path.write_text("Club renommé,123456,\n")
    call_command("import_organisations", str(path))  # a known number is left alone
    assert Space.objects.get(member_number="123456").name == "Club de voile"


def test_admin_import_of_organisations():
    admin = person("admin@guichet.example")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin, strong=True)
    url = reverse("admin:identity_space_import")
    assert url in page_text(client.get(reverse("admin:identity_space_changelist")))
    response = client.post(url, {"content": CSV}, follow=True)
    page = page_text(response)
    assert "2 ajoutée(s), 0 déjà connue(s)." in page
    assert "Ligne 4" in page
    assert "Ligne 5" in page
    assert Space.objects.filter(member_number="654321").exists()

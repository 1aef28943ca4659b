"""Who may file a démarche: particuliers, organisations, or both (the Paramètres page's
"Qui peut déposer")."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, Procedure
from tests.support.client import page_text
from tests.support.organisations import client_for, organisation, person

pytestmark = pytest.mark.django_db

START = "/demarches/declaration-activite/commencer/"


@pytest.fixture
def activity(demo_procedures):
    procedure = demo_procedures["declaration-activite"]
    procedure.filed_by = Procedure.FiledBy.ORGANISATION
    procedure.account_required = True
    procedure.save()
    return procedure


def test_an_organisations_only_demarche_says_so_in_a_personal_space(activity):
    client = client_for(person("lea.petit@example.fr"))
    text = page_text(client.get(START))
    assert "réservée aux organisations" in text
    assert "Passez dans l'espace de votre organisation, puis revenez ici." in text
    assert "Commencer la démarche" not in text
    response = client.post(START)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_an_organisation_member_files_from_the_organisations_space(activity):
    manager = person("gerant@boulangerie.example")
    space = organisation(manager, "Boulangerie du Coin")
    client = client_for(manager, space)
    response = client.post(START)
    assert response.status_code == 302
    assert Case.objects.get().space == space


def test_a_personal_only_demarche_refuses_an_organisation_space(demo_procedures):
    heating = demo_procedures["aide-chauffage"]
    heating.filed_by = Procedure.FiledBy.PERSONAL
    heating.save()
    manager = person("gerant@boulangerie.example")
    client = client_for(manager, organisation(manager))
    response = client.post("/demarches/aide-chauffage/commencer/")
    assert response.status_code == 403
    assert "réservée aux particuliers" in page_text(response)
    assert not Case.objects.exists()


def test_an_organisations_only_demarche_requires_an_account(activity):
    activity.account_required = False
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert "account_required" in caught.value.message_dict

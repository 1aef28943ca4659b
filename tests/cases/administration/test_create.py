"""Creating a démarche from scratch (ADR 0021): who may, what it starts with, and that
nobody can file it before its administrator publishes a version."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from cases.administration import services
from cases.models import Procedure, ProcedureChange
from cases.services import case_start
from tests.support.client import page_text
from tests.support.instruction import login

pytestmark = pytest.mark.django_db

URL = "/administration/nouvelle-demarche/"


def _form(service, **values):
    return {
        "title": "Aide aux vacances",
        "slug": "aide-vacances",
        "description": "Pour partir en vacances avec vos enfants.",
        "service": service.pk,
        "account_required": "on",
        **values,
    }


def test_the_administration_home_links_to_the_creation_page(admin_client):
    assert URL in admin_client.get("/administration/").content.decode()


def test_create_through_the_page(admin_client, heating, demarche_admin):
    response = admin_client.post(URL, _form(heating.service))
    assert response.status_code == 302
    assert response["Location"] == "/administration/demarches/aide-vacances/"
    procedure = Procedure.objects.get(slug="aide-vacances")
    assert procedure.title == "Aide aux vacances"
    assert procedure.description == "Pour partir en vacances avec vos enfants."
    assert procedure.service == heating.service
    assert procedure.account_required is True
    assert procedure.current_version is None
    assert [(f["name"], f["type"], f["label"], f["required"]) for f in procedure.definition] == [
        ("objet", "long_text", "Objet de votre demande", True)
    ]
    assert list(procedure.administrators.all()) == [demarche_admin]

    page = page_text(admin_client.get(response["Location"]))
    assert "La démarche est créée" in page
    assert "Pas encore publiée" in page
    assert "Aucune version publiée" in page
    history = page_text(admin_client.get("/administration/demarches/aide-vacances/historique/"))
    assert "Démarche créée" in history
    assert f"Service : {heating.service.name}" in history
    change = ProcedureChange.objects.get(procedure=procedure)
    assert (change.action, change.actor) == (ProcedureChange.Action.CREATED, demarche_admin)


def test_without_account_required(admin_client, heating):
    form = _form(heating.service)
    del form["account_required"]
    assert admin_client.post(URL, form).status_code == 302
    assert Procedure.objects.get(slug="aide-vacances").account_required is False


def test_an_unpublished_demarche_cannot_be_filed(admin_client, heating, applicant):
    admin_client.post(URL, _form(heating.service))
    procedure = Procedure.objects.get(slug="aide-vacances")
    applicant_client = Client()
    applicant_client.force_login(applicant)
    assert applicant_client.get("/demarches/aide-vacances/commencer/").status_code == 404
    assert applicant_client.post("/demarches/aide-vacances/commencer/").status_code == 404
    assert "Aide aux vacances" not in page_text(applicant_client.get("/faire-une-demarche/"))
    with pytest.raises(PermissionDenied):
        case_start(procedure=procedure, user=applicant, space=None)


def test_once_published_the_starter_form_can_be_filed(
    admin_client, heating, applicant, demarche_admin
):
    admin_client.post(URL, _form(heating.service))
    procedure = Procedure.objects.get(slug="aide-vacances")
    version = services.procedure_publish(procedure=procedure, user=demarche_admin)
    assert version.number == 1
    applicant_client = Client()
    applicant_client.force_login(applicant)
    assert applicant_client.get("/demarches/aide-vacances/commencer/").status_code == 200
    case = case_start(procedure=procedure, user=applicant, space=None)
    assert case.version == version


def test_the_service_must_be_one_of_an_administered_demarche(
    admin_client, heating, demo_procedures
):
    other_service = demo_procedures["declaration-activite"].service
    assert other_service != heating.service
    page = page_text(admin_client.get(URL))
    assert heating.service.name in page
    assert other_service.name not in page
    response = admin_client.post(URL, _form(other_service))
    assert response.status_code == 400
    assert "service" in response.context["form"].errors
    assert not Procedure.objects.filter(slug="aide-vacances").exists()


def test_an_identifier_in_use_is_refused(admin_client, heating):
    response = admin_client.post(URL, _form(heating.service, slug="aide-chauffage"))
    assert response.status_code == 400
    assert "Une démarche utilise déjà cet identifiant." in page_text(response)
    response = admin_client.post(URL, _form(heating.service, slug="Pas un identifiant", title=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"slug", "title"}
    assert not ProcedureChange.objects.exists()


def test_a_superuser_may_create_in_any_service(demo_procedures, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.fr", "x")
    service = demo_procedures["declaration-activite"].service
    response = login(root).post(URL, _form(service))
    assert response.status_code == 302
    assert Procedure.objects.get(slug="aide-vacances").administrators.get() == root


def test_only_who_may_administer_may_create(colleague, heating):
    """Bruno instructs the heating aid's service but administers no démarche."""
    response = login(colleague).post(URL, _form(heating.service))
    assert response.status_code == 404
    assert not Procedure.objects.filter(slug="aide-vacances").exists()


def test_procedure_create_validates_through_the_model(heating, demarche_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.procedure_create(
            title="",
            slug="vide",
            description="",
            service=heating.service,
            account_required=True,
            user=demarche_admin,
        )
    assert not Procedure.objects.filter(slug="vide").exists()

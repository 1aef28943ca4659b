"""The « Orientation des demandes » page (ADR 0023): rules listed in order, added from the
published form's choice questions, removed, moved; every change in the history; a rule
whose question is gone shown inactive; no other démarche's rule reachable."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.administration import services
from cases.models import Procedure, ProcedureChange, RoutingRule, Service
from cases.services import procedure_publish_version
from tests.support.client import page_text
from tests.support.instruction import login
from tests.support.routing import DEPARTEMENT

pytestmark = pytest.mark.django_db

PAGE = "/administration/demarches/aide-chauffage/orientation/"


@pytest.fixture
def heating(demo_procedures):
    heating = demo_procedures["aide-chauffage"]
    heating.definition = [*heating.definition, DEPARTEMENT]
    heating.save(update_fields=["definition"])
    procedure_publish_version(procedure=heating)
    return heating


@pytest.fixture
def paris(demarche_admin, heating):
    """A service Alice may route to: the service of another démarche she administers."""
    service = Service.objects.create(name="Service de Paris", slug="paris")
    other = Procedure.objects.create(
        title="Aide parisienne", slug="aide-paris", service=service, definition=[]
    )
    other.administrators.add(demarche_admin)
    return service


def rules(procedure):
    return [(r.field_name, r.value, r.service.slug) for r in procedure.routing_rules.all()]


def test_the_demarche_page_links_to_the_orientation(admin_client):
    response = admin_client.get("/administration/demarches/aide-chauffage/")
    assert PAGE in response.content.decode()
    assert "Orientation des demandes" in page_text(response)


def test_the_form_offers_the_answers_of_choice_questions_and_the_users_services(
    admin_client, paris
):
    form = admin_client.get(PAGE).context["form"]
    answers = dict(form.fields["answer"].choices)
    assert answers["Département"] == [
        ("departement:13", "13"),
        ("departement:69", "69"),
        ("departement:75", "75"),
    ]
    assert "Civilité" in answers  # a choice
    assert not any(label == "Prénom" for label in answers)  # a text question is not offered
    assert {s.slug for s in form.fields["service"].queryset} == {"action-sociale", "paris"}


def test_an_administrator_adds_removes_and_moves_rules(admin_client, heating, paris):
    response = admin_client.post(PAGE, {"answer": "departement:75", "service": paris.pk})
    assert response.status_code == 302
    admin_client.post(PAGE, {"answer": "departement:69", "service": heating.service_id})
    assert rules(heating) == [
        ("departement", "75", "paris"),
        ("departement", "69", "action-sociale"),
    ]
    second = heating.routing_rules.get(value="69")
    admin_client.post(f"{PAGE}{second.pk}/deplacer/", {"sens": "haut"})
    assert rules(heating)[0] == ("departement", "69", "action-sociale")
    admin_client.post(f"{PAGE}{second.pk}/deplacer/", {"sens": "bas"})
    assert rules(heating)[0] == ("departement", "75", "paris")
    admin_client.post(f"{PAGE}{second.pk}/retirer/")
    assert rules(heating) == [("departement", "75", "paris")]
    text = page_text(admin_client.get(PAGE))
    assert "Département" in text
    assert "Service de Paris" in text

    history = page_text(admin_client.get("/administration/demarches/aide-chauffage/historique/"))
    assert history.count("Règles d'orientation modifiées") == 5
    assert "Règle ajoutée : « Département » = « 75 » → Service de Paris" in history
    removed = f"Règle retirée : « Département » = « 69 » → {heating.service.name}"
    assert removed in history
    assert "Règle déplacée en position 1" in history
    assert (
        ProcedureChange.objects.filter(
            procedure=heating, action=ProcedureChange.Action.ROUTING_CHANGED
        ).count()
        == 5
    )


def test_moving_the_first_rule_up_changes_nothing(admin_client, heating, paris):
    admin_client.post(PAGE, {"answer": "departement:75", "service": paris.pk})
    rule = heating.routing_rules.get()
    assert admin_client.post(f"{PAGE}{rule.pk}/deplacer/", {"sens": "haut"}).status_code == 302
    assert ProcedureChange.objects.filter(action="routing_changed").count() == 1


def test_a_service_the_user_may_not_use_is_refused(admin_client, heating, other_instructor):
    foreign = Service.objects.get(slug="developpement-economique")
    response = admin_client.post(PAGE, {"answer": "departement:75", "service": foreign.pk})
    assert response.status_code == 400
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize("answer", ["departement:92", "prenom:Camille", "inconnu:x", "75"])
def test_an_answer_not_offered_is_refused(admin_client, heating, answer):
    response = admin_client.post(PAGE, {"answer": answer, "service": heating.service_id})
    assert response.status_code == 400
    assert not RoutingRule.objects.exists()
    assert not ProcedureChange.objects.exists()


def test_the_service_refuses_a_field_that_cannot_route(heating, demarche_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.routing_rule_add(
            procedure=heating,
            user=demarche_admin,
            field_name="prenom",
            value="Camille",
            service=heating.service,
        )
    assert not RoutingRule.objects.exists()


def test_a_rule_whose_question_was_removed_is_shown_inactive(admin_client, heating, paris):
    admin_client.post(PAGE, {"answer": "departement:75", "service": paris.pk})
    heating.definition = [f for f in heating.definition if f["name"] != "departement"]
    heating.save(update_fields=["definition"])
    procedure_publish_version(procedure=heating)
    response = admin_client.get(PAGE)
    assert "Certaines règles ne s'appliquent plus" in page_text(response)
    assert [rule.active for rule in response.context["rules"]] == [False]
    assert "Ignorée" in page_text(response)


def test_another_demarches_rule_is_not_reachable_through_ones_own_demarche(
    demarche_admin, other_admin, heating
):
    """Chloé administers the professional declaration: a heating-aid rule's id under her
    démarche's address is a 404, and the rule stays."""
    rule = heating.routing_rules.create(
        position=0, field_name="departement", value="75", service=heating.service
    )
    client = login(other_admin)
    base = "/administration/demarches/declaration-activite/orientation/"
    assert client.post(f"{base}{rule.pk}/retirer/").status_code == 404
    assert client.post(f"{base}{rule.pk}/deplacer/", {"sens": "bas"}).status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    assert not ProcedureChange.objects.exists()


def test_the_move_buttons_are_real_buttons(admin_client, heating, paris):
    """Keyboard: each move and removal is a form's submit button with the rule named."""
    admin_client.post(PAGE, {"answer": "departement:75", "service": paris.pk})
    admin_client.post(PAGE, {"answer": "departement:69", "service": paris.pk})
    html = admin_client.get(PAGE).content.decode()
    assert html.count('type="submit">Monter') == 1
    assert html.count('type="submit">Descendre') == 1
    assert html.count('type="submit">Retirer') == 2


def test_rules_travel_with_an_export_and_a_copy(heating, demarche_admin, paris):
    rhone = Service.objects.create(name="Service du Rhône", slug="rhone")
    for position, (value, service) in enumerate((("75", paris), ("69", rhone))):
        RoutingRule.objects.create(
            procedure=heating,
            position=position,
            field_name="departement",
            value=value,
            service=service,
        )
    raw = json.dumps(services.procedure_export(heating)).encode()
    data, errors = services.import_parse(raw)
    assert errors == []
    imported = services.procedure_import(
        data=data, title="Importée", slug="importee", service=heating.service, user=demarche_admin
    )
    copy = services.procedure_clone(
        source=heating, title="Copie", slug="copie", user=demarche_admin
    )
    for procedure in (imported, copy):
        assert [(r.field_name, r.value, r.service) for r in procedure.routing_rules.all()] == [
            ("departement", "75", paris),
            ("departement", "69", rhone),
        ]


def test_an_import_naming_a_service_not_offered_creates_nothing(admin_client, heating):
    # Rhône is no service of Alice's démarches: an import may not route to it.
    rhone = Service.objects.create(name="Service du Rhône", slug="rhone")
    RoutingRule.objects.create(
        procedure=heating, position=0, field_name="departement", value="69", service=rhone
    )
    exported = services.procedure_export(heating)
    exported["routing"].append({"field": "departement", "value": "75", "service": "ailleurs"})
    response = admin_client.post(
        "/administration/importer/",
        {
            "file": SimpleUploadedFile("d.json", json.dumps(exported).encode()),
            "title": "Importée",
            "slug": "importee",
            "service": heating.service_id,
        },
    )
    assert response.status_code == 400
    assert "ces services n'existent pas ici ou ne vous sont pas proposés : ailleurs, rhone" in (
        page_text(response)
    )
    assert not Procedure.objects.filter(slug="importee").exists()


def test_a_malformed_rule_in_a_file_is_an_error():
    data, errors = services.import_parse(
        json.dumps({"format": "guichet-demarche", "version": 1, "routing": [{"field": 1}]}).encode()
    )
    assert data is None
    assert (
        "Orientation des demandes : chaque règle indique une question, une réponse et un service."
        in errors
    )

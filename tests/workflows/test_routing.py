"""Routing by answer (ADR 0023): a demande is instructed by the service its answers route
it to, and only that service's instructors open it, see it in their queue and count it."""

import pytest

from cases import counts
from cases.models import Case, Procedure, StatusCount
from tests.support.factories import CaseFactory
from tests.support.filing import AID_ANSWERS
from tests.support.instruction import human_task, login, make_instructor
from tests.support.routing import route_by_departement
from workflows.notifications import recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(demo_procedures):
    heating = demo_procedures["aide-chauffage"]
    paris, rhone = route_by_departement(heating)
    return heating, paris, rhone


@pytest.fixture
def paris_instructor(routed):
    return make_instructor("paul.paris@paris.example", "Paul", "Paris", "paris")


@pytest.fixture
def rhone_instructor(routed):
    return make_instructor("rose.rhone@rhone.example", "Rose", "Rhône", "rhone")


def filed(procedure, departement=None, **traits) -> Case:
    answers = {**AID_ANSWERS, "departement": departement} if departement else dict(AID_ANSWERS)
    return CaseFactory(procedure=procedure, answers=answers, **traits or {"in_instruction": True})


def test_a_demande_goes_to_the_service_its_answer_routes_it_to(routed):
    heating, paris, rhone = routed
    assert filed(heating, "75").service == paris
    assert filed(heating, "69").service == rhone
    assert filed(heating, "13").service == heating.service
    assert filed(heating).service == heating.service


def test_a_draft_has_no_service_until_its_submission(routed):
    heating, paris, _rhone = routed
    draft = filed(heating, "75", draft=True)
    assert draft.service is None
    assert filed(heating, "75", submitted=True).service == paris


def test_the_first_matching_rule_wins(routed):
    heating, paris, rhone = routed
    heating.routing_rules.create(position=2, field_name="departement", value="75", service=rhone)
    assert filed(heating, "75").service == paris


def test_a_rule_whose_question_a_later_version_removed_is_ignored(routed):
    heating, _paris, _rhone = routed
    draft = filed(heating, "75", draft=True)  # started on the version with the question
    heating.definition = [f for f in heating.definition if f["name"] != "departement"]
    heating.save(update_fields=["definition"])
    from cases.services import case_submit, procedure_publish_version

    procedure_publish_version(procedure=heating)
    case = case_submit(case=draft, actor=draft.created_by)
    assert case.service == heating.service


def test_another_services_instructor_cannot_open_the_demande(
    routed, paris_instructor, rhone_instructor, instructor
):
    case = filed(routed[0], "75")
    path = f"/instruction/demandes/{case.number}/"
    assert login(paris_instructor).get(path).status_code == 200
    assert login(rhone_instructor).get(path).status_code == 404
    # The démarche's own service no longer instructs a demande routed elsewhere.
    assert login(instructor).get(path).status_code == 404


def test_another_services_instructor_cannot_take_its_task(routed, rhone_instructor):
    case = filed(routed[0], "75")
    task = human_task(case)
    response = login(rhone_instructor).post(f"/instruction/taches/{task.pk}/prendre/")
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.owner_id is None


def _tabs(client, query=""):
    response = client.get(f"/instruction/{query}")
    assert response.status_code == 200
    return response


def test_each_service_sees_and_counts_only_its_demandes(
    routed, paris_instructor, rhone_instructor, instructor
):
    heating = routed[0]
    to_paris = filed(heating, "75")
    to_rhone = [filed(heating, "69"), filed(heating, "69", accepted=True)]
    kept = filed(heating, "13")
    expected = {
        paris_instructor: ({to_paris.number}, {"a_traiter": 1, "traites": 0, "tous": 1}),
        rhone_instructor: (
            {c.number for c in to_rhone},
            {"a_traiter": 1, "traites": 1, "tous": 2},
        ),
        instructor: ({kept.number}, {"a_traiter": 1, "traites": 0, "tous": 1}),
    }
    for user, (numbers, tab_counts) in expected.items():
        client = login(user)
        for query in ("?onglet=tous", f"?onglet=tous&procedure={heating.pk}"):
            response = _tabs(client, query)
            assert {row.number for row in response.context["rows"]} == numbers
            shown = {key: count for key, _label, count in response.context["tabs"]}
            assert {key: shown[key] for key in tab_counts} == tab_counts
        # A search counts the demandes themselves: the same scope.
        response = _tabs(client, "?onglet=tous&q=camille")
        assert {row.number for row in response.context["rows"]} == numbers
    assert counts.drift() == []
    assert set(StatusCount.objects.values_list("service__slug", flat=True)) == {
        "paris",
        "rhone",
        "action-sociale",
    }


def test_the_routed_service_can_filter_on_the_demarche(routed, rhone_instructor):
    filed(routed[0], "69")
    response = _tabs(login(rhone_instructor))
    choices = dict(response.context["form"].fields["procedure"].choices)
    assert choices.get(routed[0].pk) == routed[0].title
    # A démarche that routes nothing to them is not offered.
    other = Procedure.objects.get(slug="changement-adresse")
    assert other.pk not in choices


def test_a_new_demande_is_announced_to_its_service_only(
    routed, paris_instructor, rhone_instructor, instructor
):
    case = filed(routed[0], "75", submitted=True)
    assert recipients(case, "new_case") == [paris_instructor]


def test_counters_are_rebuilt_per_service(routed):
    heating = routed[0]
    filed(heating, "75")
    filed(heating, "69")
    StatusCount.objects.all().delete()
    assert len(counts.drift()) == 2
    counts.rebuild()
    assert counts.drift() == []
    assert counts.totals([routed[1].pk])[Case.Status.IN_INSTRUCTION] == 1


def test_a_multiple_choice_routes_when_it_contains_the_value(demo_procedures):
    from cases.models import RoutingRule, Service
    from cases.services import procedure_publish_version

    heating = demo_procedures["aide-chauffage"]
    heating.definition = [
        *heating.definition,
        {"name": "aides", "type": "multiple_choice", "label": "Aides", "choices": ["Gaz", "Bois"]},
        {"name": "urgent", "type": "yes_no", "label": "Urgent"},
    ]
    heating.save(update_fields=["definition"])
    procedure_publish_version(procedure=heating)
    bois = Service.objects.create(name="Bois", slug="bois")
    urgence = Service.objects.create(name="Urgence", slug="urgence")
    RoutingRule.objects.create(
        procedure=heating, position=0, field_name="urgent", value="oui", service=urgence
    )
    RoutingRule.objects.create(
        procedure=heating, position=1, field_name="aides", value="Bois", service=bois
    )
    answers = {**AID_ANSWERS, "aides": ["Gaz", "Bois"], "urgent": "non"}
    assert CaseFactory(procedure=heating, answers=answers, submitted=True).service == bois
    answers = {**AID_ANSWERS, "aides": ["Bois"], "urgent": "oui"}
    assert CaseFactory(procedure=heating, answers=answers, submitted=True).service == urgence
    answers = {**AID_ANSWERS, "aides": ["Gaz"]}
    unmatched = CaseFactory(procedure=heating, answers=answers, submitted=True)
    assert unmatched.service == heating.service


def test_the_start_page_says_the_service_depends_on_the_answers(routed, client):
    text = client.get(f"/demarches/{routed[0].slug}/commencer/").content.decode()
    assert "selon vos réponses" in text

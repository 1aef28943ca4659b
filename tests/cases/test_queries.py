"""Pages of a space cost the same number of queries with 5 or 500 demandes."""

import pytest

from cases import numbers
from cases.models import Case, CaseEvent, CaseMessage
from identity.selectors import space_personal_for

pytestmark = pytest.mark.django_db


def _fill(space, procedure, count):
    cases = Case.objects.bulk_create(
        Case(
            procedure=procedure,
            service_id=procedure.service_id,
            version=procedure.current_version,
            space=space,
            number=numbers.generate(),
            status=Case.Status.IN_INSTRUCTION if i % 2 else Case.Status.ACCEPTED,
            applicant_email="camille.martin@example.fr",
            answers={"ancienne_adresse": None},
        )
        for i in range(count)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, actor_role=CaseEvent.Role.SYSTEM, status=case.status)
        for case in cases
        for kind in (CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.STATUS)
    )
    return cases


@pytest.mark.parametrize("count", [5, 500])
def test_my_cases_and_activity_feed_have_bounded_queries(
    count, applicant, applicant_client, demo_procedures, django_assert_max_num_queries
):
    _fill(space_personal_for(user=applicant), demo_procedures["changement-adresse"], count)
    with django_assert_max_num_queries(8):
        response = applicant_client.get("/mes-demarches/")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = applicant_client.get("/mes-demarches/?onglet=terminees")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = applicant_client.get("/activite/?page=2")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_case_page_has_bounded_queries(
    count, applicant, applicant_client, demo_procedures, django_assert_max_num_queries
):
    (case,) = _fill(space_personal_for(user=applicant), demo_procedures["changement-adresse"], 1)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=CaseEvent.Kind.MESSAGE, actor_role=CaseEvent.Role.INSTRUCTOR)
        for _ in range(count)
    )
    CaseMessage.objects.bulk_create(
        CaseMessage(case=case, author_role=CaseEvent.Role.INSTRUCTOR, body="Bonjour")
        for _ in range(count)
    )
    with django_assert_max_num_queries(12):
        response = applicant_client.get(f"/demandes/{case.number}/")
    assert response.status_code == 200

"""The instructor's decision form: Accepter / Refuser / Classer sans suite are DSFR radios
drawn by their labels, and every hint and error it names exists in the page."""

import pytest

from cases.models import Case
from tests.support.client import page_text
from tests.support.html import (
    assert_dsfr_controls_drawn,
    assert_references_resolve,
    error_summary_links,
)

from .conftest import file_heating_aid, human_task

pytestmark = pytest.mark.django_db


def _at_decision(applicant_client, instructor_client) -> Case:
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    task = human_task(case)
    assert instructor_client.post(f"/instruction/taches/{task.pk}/prendre/").status_code == 302
    response = instructor_client.post(
        f"/instruction/taches/{task.pk}/agir/", {"action": "complete"}
    )
    assert response.status_code == 302
    task = human_task(case)
    assert instructor_client.post(f"/instruction/taches/{task.pk}/prendre/").status_code == 302
    return case


def test_decision_radios_are_drawn_and_described(applicant_client, instructor_client):
    case = _at_decision(applicant_client, instructor_client)
    page = instructor_client.get(f"/instruction/demandes/{case.number}/")
    assert "Classer sans suite" in page_text(page)
    assert_dsfr_controls_drawn(page)
    assert_references_resolve(page)

    refused_without_reason = instructor_client.post(
        f"/instruction/taches/{human_task(case).pk}/agir/", {"action": "decide"}
    )
    assert refused_without_reason.status_code == 400
    assert_references_resolve(refused_without_reason)
    assert error_summary_links(refused_without_reason) == ["#id_decision_0"]

"""The instructor's decision form: Accepter / Refuser / Classer sans suite are DSFR radios
drawn by their labels, and every hint and error it names exists in the page."""

import pytest

from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.html import (
    assert_dsfr_controls_drawn,
    assert_references_resolve,
    error_summary_links,
)
from tests.support.instruction import human_task

pytestmark = pytest.mark.django_db


def test_decision_radios_are_drawn_and_described(instructor, instructor_client):
    case = CaseFactory(in_instruction=True, checked=True, instructor=instructor)
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

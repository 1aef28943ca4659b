"""The demande page's tabs are links (?onglet=…): each panel opens without JavaScript."""

import pytest

from cases.models import Case
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft
from tests.support.html import assert_references_resolve, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demande(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "declaration-activite")
    applicant_client.post(
        f"/demandes/brouillon/{case.pk}/", {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload()}
    )
    applicant_client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    assert case.status != Case.Status.DRAFT
    return case


def _tabs(response) -> dict[str, tuple[str, str]]:
    """Tab id → (href, aria-selected)."""
    elements = parse(response).elements
    return {
        attrs["id"]: (attrs.get("href"), attrs.get("aria-selected"))
        for tag, attrs, _ in elements
        if attrs.get("role") == "tab"
    }


def _selected_panels(response) -> list[str]:
    return [
        attrs["id"]
        for tag, attrs, _ in parse(response).elements
        if "fr-tabs__panel--selected" in attrs.get("class", "")
    ]


@pytest.mark.parametrize("tab", ["resume", "historique", "messagerie"])
def test_each_tab_is_a_link_that_opens_its_panel(applicant_client, demande, tab):
    url = f"/demandes/{demande.number}/"
    first = applicant_client.get(url)
    tabs = _tabs(first)
    assert tabs[f"onglet-{tab}"][0] == f"?onglet={tab}#onglet-{tab}"

    response = applicant_client.get(f"{url}?onglet={tab}")
    assert _selected_panels(response) == [f"panneau-{tab}"]
    assert _tabs(response)[f"onglet-{tab}"][1] == "true"
    assert [t for t, (_, selected) in _tabs(response).items() if selected == "true"] == [
        f"onglet-{tab}"
    ]
    assert_references_resolve(response)


def test_an_unknown_tab_opens_the_summary(applicant_client, demande):
    response = applicant_client.get(f"/demandes/{demande.number}/?onglet=inconnu")
    assert _selected_panels(response) == ["panneau-resume"]

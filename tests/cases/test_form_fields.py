"""The démarche form as the applicant meets it: dates that survive a reopened draft, whole
numbers and postcodes checked, French numbers, autosave that keeps what is valid, and
field markup that screen readers and DSFR can use."""

import datetime
import json

import pytest
from django.utils import translation

from cases.models import Case
from identity.models import Profile
from tests.support.client import page_text
from tests.support.filing import ACTIVITY_ANSWERS, AID_ANSWERS, start_draft
from tests.support.html import (
    assert_dsfr_controls_drawn,
    assert_references_resolve,
    error_summary_links,
    parse,
)

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return f"/demandes/brouillon/{case.pk}/"


def _input(response, name: str) -> dict:
    return next(attrs for tag, attrs, _ in parse(response).elements if attrs.get("name") == name)


def test_a_saved_date_comes_back_as_an_iso_value_in_french(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    # Typed the French way (a browser without a date picker) or sent by the picker: both kept.
    applicant_client.post(_url(case), {"date_naissance": "12/04/1985", "save": "1"})
    case.refresh_from_db()
    assert case.answers["date_naissance"] == "1985-04-12"
    with translation.override("fr"):
        field = _input(
            applicant_client.get(_url(case), HTTP_ACCEPT_LANGUAGE="fr"), "date_naissance"
        )
    assert field["type"] == "date"
    assert field["value"] == "1985-04-12"


def test_a_date_prefilled_from_the_profile_is_an_iso_value(
    applicant, applicant_client, demo_procedures
):
    Profile.objects.update_or_create(
        user=applicant, defaults={"birth_date": datetime.date(1985, 4, 12)}
    )
    case = start_draft(applicant_client, "aide-chauffage")
    assert _input(applicant_client.get(_url(case)), "date_naissance")["value"] == "1985-04-12"


def test_the_profile_birth_date_is_an_iso_value(applicant, applicant_client):
    Profile.objects.update_or_create(
        user=applicant, defaults={"birth_date": datetime.date(1985, 4, 12)}
    )
    field = _input(applicant_client.get("/compte/informations/"), "birth_date")
    assert (field["type"], field["value"]) == ("date", "1985-04-12")


def test_a_count_takes_whole_numbers_only(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(_url(case), {"personnes_foyer": "2.5", "save": "1"})
    assert response.status_code == 400
    assert "Saisissez un nombre entier." in page_text(response)
    assert _input(response, "personnes_foyer")["type"] == "number"
    applicant_client.post(_url(case), {"personnes_foyer": "3", "save": "1"})
    case.refresh_from_db()
    assert case.answers["personnes_foyer"] == 3


@pytest.mark.parametrize("typed", ["7501", "750111", "75O11"])
def test_a_postcode_has_five_digits(applicant_client, demo_procedures, typed):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(_url(case), {"adresse__postcode": typed, "save": "1"})
    assert response.status_code == 400
    assert "Le code postal compte 5 chiffres. Exemple : 75011." in page_text(response)


def test_a_postcode_typed_with_a_space_is_kept_without_it(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(
        _url(case), {"adresse__street": "1 rue Haute", "adresse__postcode": "75 011", "save": "1"}
    )
    case.refresh_from_db()
    assert case.answers["adresse"]["postcode"] == "75011"


def test_numbers_read_the_french_way_on_the_review_page(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(_url(case), {**AID_ANSWERS, "revenus": "18500.5", "save": "1"})
    page = page_text(applicant_client.get(f"{_url(case)}verifier/"))
    assert "18\xa0500,5" in page
    assert "18500.5" not in page


def test_saving_keeps_the_valid_answers_and_names_the_invalid_one(
    applicant_client, demo_procedures
):
    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(_url(case), {"personnes_foyer": "4", "save": "1"})
    response = applicant_client.post(
        _url(case),
        {"nom": "Martin", "revenus": "18500", "personnes_foyer": "2.5", "save": "1"},
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "Vos autres réponses sont enregistrées." in page
    case.refresh_from_db()
    assert case.answers["nom"] == "Martin"
    assert case.answers["revenus"] == "18500"
    assert case.answers["personnes_foyer"] == 4  # the answer saved before, not "2.5"
    # What was typed is shown back, to be corrected.
    assert _input(response, "personnes_foyer")["value"] == "2.5"


def test_autosave_saves_the_valid_answers_and_reports_the_invalid_ones(
    applicant_client, demo_procedures
):
    case = start_draft(applicant_client, "aide-chauffage")
    response = applicant_client.post(
        _url(case),
        {"nom": "Martin", "adresse__postcode": "7501", "personnes_foyer": "2", "autosave": "1"},
    )
    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["saved"] is True
    assert report["message"].startswith("Brouillon enregistré à ")
    assert "sauf ces réponses à corriger : Adresse du logement — Code postal." in report["message"]
    assert [item["label"] for item in report["invalid"]] == ["Adresse du logement — Code postal"]
    case.refresh_from_db()
    assert case.answers["nom"] == "Martin"
    assert case.answers["personnes_foyer"] == 2

    clean = applicant_client.post(_url(case), {"nom": "Martin", "autosave": "1"})
    report = json.loads(clean.content)
    assert report["invalid"] == []
    assert "sauf" not in report["message"]


def test_every_description_and_summary_link_of_the_draft_points_to_the_page(
    applicant_client, demo_procedures
):
    case = start_draft(applicant_client, "aide-chauffage")
    page = applicant_client.get(_url(case))
    assert_references_resolve(page)
    revenus = _input(page, "revenus")
    assert revenus["aria-describedby"] == "id_revenus_helptext"
    assert "Il figure en première page" in page_text(page)

    invalid = applicant_client.post(
        _url(case), {"revenus": "beaucoup", "adresse__postcode": "1", "save": "1"}
    )
    assert_references_resolve(invalid)
    assert _input(invalid, "revenus")["aria-describedby"] == (
        "id_revenus_helptext id_revenus_error"
    )
    assert error_summary_links(invalid) == ["#id_adresse__postcode", "#id_revenus"]


def test_the_error_summary_of_a_choice_links_to_its_first_option(client, demo_procedures):
    case = start_draft(client, "declaration-activite")
    response = client.post(_url(case), {"salaries": "peut-être", "save": "1"})
    assert error_summary_links(response) == ["#id_salaries_0"]
    assert_references_resolve(response)


def test_yes_no_radios_are_drawn_by_their_dsfr_label(client, demo_procedures):
    case = start_draft(client, "declaration-activite")
    client.post(_url(case), {**ACTIVITY_ANSWERS, "save": "1"})
    page = client.get(_url(case))
    assert_dsfr_controls_drawn(page)
    radios = [attrs for tag, attrs, _ in parse(page).elements if attrs.get("type") == "radio"]
    assert [(r["value"], "checked" in r) for r in radios] == [("oui", False), ("non", True)]


def test_tracking_page_hints_and_errors_are_read_out(client, demo_procedures):
    page = client.get("/suivre/")
    assert_references_resolve(page)
    assert _input(page, "email")["aria-describedby"] == "id_email_helptext"
    assert _input(page, "number")["aria-describedby"] == "id_number_helptext"

    invalid = client.post("/suivre/", {"email": "", "number": "K7QX"})
    assert_references_resolve(invalid)
    assert _input(invalid, "number")["aria-describedby"] == "id_number_helptext id_number_error"
    assert error_summary_links(invalid) == ["#id_email", "#id_number"]


def test_email_confirmation_page_without_account_is_described(client, demo_procedures):
    case = start_draft(client, "declaration-activite")
    url = f"{_url(case)}courriel/"
    assert_references_resolve(client.get(url))
    invalid = client.post(url, {"email": "pas-une-adresse", "send": "1"})
    assert_references_resolve(invalid)
    assert error_summary_links(invalid) == ["#id_email"]

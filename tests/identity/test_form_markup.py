"""Account forms read out correctly: every hint and error an input names exists in the page,
the error summary links to the fields, and the mobile page does not move on by itself."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.identity.helpers import login_with_emailed_code, make_active_user, text
from tests.support.html import assert_references_resolve, error_summary_links, parse

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"


@pytest.fixture
def logged_in():
    make_active_user(EMAIL)
    client = Client()
    login_with_emailed_code(client, EMAIL)
    return client


def _input(response, name):
    return next(a for tag, a, _ in parse(response).elements if a.get("name") == name)


def test_mobile_page_hints_are_read_out(logged_in):
    page = logged_in.get(reverse("identity:phone"))
    assert_references_resolve(page)
    assert _input(page, "phone")["aria-describedby"] == "id_phone_helptext"
    assert _input(page, "no_mobile")["aria-describedby"] == "id_no_mobile_helptext"

    mismatch = logged_in.post(
        reverse("identity:phone"), {"phone": "06 12 34 56 78", "phone2": "0612345679"}
    )
    assert_references_resolve(mismatch)
    assert _input(mismatch, "phone2")["aria-describedby"] == "id_phone2_error"
    assert error_summary_links(mismatch) == ["#id_phone2"]


def test_password_change_names_its_rules_and_errors(logged_in):
    url = reverse("account_change_password")
    page = logged_in.get(url)
    assert page.status_code == 200
    assert_references_resolve(page)
    assert _input(page, "password1")["aria-describedby"] == "id_password1-rules"
    # The rules are said once, by the list the script ticks, not again as a help text.
    assert "Votre mot de passe ne peut pas trop ressembler" not in text(page)
    for name in ("oldpassword", "password1", "password2"):
        assert "placeholder" not in _input(page, name)

    wrong = logged_in.post(
        url, {"oldpassword": "pas-le-bon", "password1": "court", "password2": "autre"}
    )
    assert "Le formulaire contient des erreurs" in text(wrong)
    assert_references_resolve(wrong)
    assert "#id_oldpassword" in error_summary_links(wrong)
    described = _input(wrong, "password1")["aria-describedby"].split()
    assert described[0] == "id_password1-rules"
    assert "id_password1_error" in described


def test_profile_page_references_resolve(logged_in):
    assert_references_resolve(logged_in.get(reverse("identity:profile")))
    invalid = logged_in.post(reverse("identity:profile"), {"birth_date": "pas une date"})
    assert_references_resolve(invalid)
    assert error_summary_links(invalid)


def test_login_page_with_an_error_has_a_linked_summary():
    make_active_user(EMAIL)
    client = Client()
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": "faux"})
    assert "Le formulaire contient des erreurs" in text(response)
    assert_references_resolve(response)
    assert "data-guichet-error-summary" in text(response)

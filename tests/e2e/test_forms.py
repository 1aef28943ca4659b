"""Forms in a real Chromium: a date survives a reopened draft (and the autosave reports the
answer it could not keep), DSFR radios and checkboxes are drawn, the demande tabs work
without JavaScript, the error summary takes the focus."""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cases import demo as cases_demo
from identity import demo as identity_demo
from identity.models import Profile, User
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def procedures():
    identity_demo.seed(StringIO())
    cases_demo.seed(StringIO())


def _context_of(browser, live_server, client: Client, **options):
    """A browser context sharing the session of a Django test client."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _logged_in(browser, live_server, user, **options):
    client = Client()
    client.force_login(user)
    return _context_of(browser, live_server, client, **options)


def _assert_drawn(page, label_selector: str) -> None:
    """DSFR draws a radio or checkbox with its label's ::before, which only applies when the
    label directly follows the input: the pseudo-element must exist and have a size."""
    box = page.eval_on_selector(
        label_selector,
        """label => {
            const style = getComputedStyle(label, '::before');
            return {content: style.content, width: parseFloat(style.width) || 0,
                    height: parseFloat(style.height) || 0};
        }""",
    )
    assert box["content"] not in ("none", "normal"), box
    assert box["width"] >= 16, box
    assert box["height"] >= 16, box


def test_a_date_survives_a_reopened_draft(procedures, browser, live_server, screenshot):
    user = User.objects.create_user("lea.petit@example.fr", "x", first_name="Léa")
    Profile.objects.create(user=user, birth_date=datetime.date(1985, 4, 12))
    context = _logged_in(browser, live_server, user)
    page = context.new_page()
    page.goto("/demarches/aide-chauffage/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()
    date = page.get_by_label("Date de naissance")
    # Pre-filled from the profile: shown, not an empty field.
    expect(date).to_have_value("1985-04-12")
    date.fill("1990-05-17")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre brouillon est enregistré.")).to_be_visible()

    page.goto(page.url)  # the draft reopened later
    expect(page.get_by_label("Date de naissance")).to_have_value("1990-05-17")
    # The autosave keeps what is valid and says which answer still needs a correction.
    page.get_by_label("Adresse du logement — Code postal").fill("7501")
    expect(
        page.get_by_text("sauf ces réponses à corriger : Adresse du logement — Code postal.")
    ).to_be_visible(timeout=15_000)
    page.get_by_label("Adresse du logement — Code postal").fill("75011")
    expect(page.get_by_text("sauf ces réponses")).to_be_hidden(timeout=15_000)
    screenshot(page, "forms-01-reopened-draft-date")
    page.get_by_role("button", name="Vérifier avant de déposer").click()
    page.wait_for_url("**/verifier/")
    missing = page.locator(".fr-alert--warning li").all_inner_texts()
    assert "Date de naissance" not in missing
    expect(page.get_by_text("17/05/1990")).to_be_visible()
    context.close()


def test_yes_no_radios_and_checkboxes_are_drawn(procedures, browser, live_server, screenshot):
    user = User.objects.create_user("lea.petit@example.fr", "x", first_name="Léa")
    context = _logged_in(browser, live_server, user)
    page = context.new_page()
    page.goto("/demarches/declaration-activite/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()
    page.wait_for_url("**/brouillon/**")
    _assert_drawn(page, "label[for=id_salaries_0]")
    _assert_drawn(page, "label[for=id_salaries_1]")
    label = page.locator("label[for=id_salaries_1]")
    label.click()
    expect(page.get_by_role("radio", name="Non")).to_be_checked()
    screenshot(page, "forms-02-yes-no-radios")

    page.goto("/demarches/aide-chauffage/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()
    page.wait_for_url("**/brouillon/**")
    _assert_drawn(page, "label[for=id_avis_imposition__later]")
    page.locator("label[for=id_avis_imposition__later]").click()
    expect(page.get_by_role("checkbox", name="Je fournirai ce document plus tard")).to_be_checked()
    page.locator("label[for=id_avis_imposition__later]").scroll_into_view_if_needed()
    screenshot(page, "forms-03-checkbox")
    context.close()


def test_demande_tabs_work_without_javascript(procedures, browser, live_server, screenshot):
    user = User.objects.create_user("lea.petit@example.fr", "x", first_name="Léa")
    client = Client()
    client.force_login(user)
    case = start_draft(client, "declaration-activite")
    client.post(f"/demandes/brouillon/{case.pk}/", {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload()})
    client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()

    context = _context_of(browser, live_server, client, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/demandes/{case.number}/")
    expect(page.get_by_role("tabpanel", name="Résumé")).to_be_visible()
    page.get_by_role("tab", name="Historique").click()
    page.wait_for_url("**?onglet=historique*")
    expect(
        page.get_by_role("tabpanel", name="Historique").get_by_text("Demande déposée")
    ).to_be_visible()
    screenshot(page, "forms-04-tabs-without-js-history")
    page.get_by_role("tab", name="Messagerie").click()
    page.wait_for_url("**?onglet=messagerie*")
    expect(page.get_by_role("tabpanel", name="Messagerie")).to_be_visible()
    expect(page.get_by_role("tabpanel", name="Historique")).to_be_hidden()
    context.close()

    # With JavaScript, DSFR switches in place and the address follows.
    context = _context_of(browser, live_server, client)
    page = context.new_page()
    page.goto(f"/demandes/{case.number}/")
    page.get_by_role("tab", name="Historique").click()
    expect(page.get_by_role("tabpanel", name="Historique")).to_be_visible()
    assert page.url.endswith("?onglet=historique")
    # With the keyboard too: the arrow keys move to the next tab, the address follows.
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Messagerie")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"\?onglet=messagerie$"))
    context.close()


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(
    procedures, browser, live_server, screenshot
):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto("/suivre/")
    page.get_by_label("Numéro de la demande").fill("K7QX")
    page.get_by_role("button", name="Voir ma demande").click()
    summary = page.locator("[data-guichet-error-summary]")
    expect(summary).to_be_focused()
    screenshot(page, "forms-05-error-summary")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Adresse électronique")).to_be_focused()
    assert violations == []
    context.close()

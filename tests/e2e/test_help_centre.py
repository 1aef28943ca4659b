"""The help centre in a real browser: home, a guide, the FAQ accordion, a search (axe-checked)."""

import pytest
from django.core.management import call_command

from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_help_centre_home_guide_faq_and_search(page, screenshot):
    call_command("seed_demo")

    page.goto("/")
    assert page.locator("h1").inner_text() == "Vos démarches en ligne"
    assert page.get_by_role("link", name="Aide départementale au chauffage").is_visible()
    assert_accessible(page)
    screenshot(page, "10-home")

    page.goto("/guides/")
    page.get_by_role("link", name="Créer et activer votre compte").click()
    page.wait_for_url("**/guides/creer-un-compte/")
    step_one = page.get_by_role("heading", name="Étape 1 Ouvrez le formulaire d'inscription")
    assert step_one.is_visible()
    assert_accessible(page)
    screenshot(page, "10-guide")

    page.goto("/faq/documents/")
    question = page.get_by_role("button", name="Quels formats de fichier sont acceptés ?")
    answer = page.locator("#formats-reponse")
    assert question.get_attribute("aria-expanded") == "false"
    question.click()
    answer.get_by_text("Les fichiers PDF, PNG et JPEG.").wait_for(state="visible")
    assert question.get_attribute("aria-expanded") == "true"
    assert_accessible(page)
    screenshot(page, "10-faq-accordion")

    # A link to one answer opens it.
    page.goto("/faq/documents/#taille-maximale")
    page.locator("#taille-maximale-reponse").get_by_text("5 Mo par fichier").wait_for(
        state="visible"
    )

    page.goto("/")
    page.locator("#recherche-entete").fill("justificatif")
    page.locator("#recherche-entete").press("Enter")
    page.wait_for_url("**/recherche/?q=justificatif")
    results = page.locator(".guichet-search-hit")
    assert results.count() >= 1
    assert (
        page.locator(".guichet-search-hit mark")
        .first.inner_text()
        .lower()
        .startswith("justificatif")
    )
    assert_accessible(page)
    screenshot(page, "10-search")


def test_faq_answers_are_readable_without_javascript(browser, live_server, screenshot):
    call_command("seed_demo")
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/faq/documents/")
        assert page.get_by_text("Les fichiers PDF, PNG et JPEG.").is_visible()
        screenshot(page, "10-faq-without-javascript")
    finally:
        context.close()

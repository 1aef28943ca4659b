"""A démarche administrator adds a text to the receipt email and previews it — in a real
browser: the preview is reached without JavaScript, the email's HTML shows in its
sandboxed frame, the typed markup as text (ADR 0022)."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, context_with_session
from tests.support.instruction import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_administrator_previews_then_saves_a_receipt_text(
    browser, live_server, demarche_admin, screenshot
):
    context = context_with_session(browser, live_server, login(demarche_admin))
    page = context.new_page()
    page.goto("/administration/demarches/aide-chauffage/")
    page.get_by_role("link", name="Courriels aux usagers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courriels aux usagers")
    assert_accessible(page)

    field = page.get_by_label("Texte ajouté au courriel « Demande enregistrée »")
    preview = page.get_by_role("button", name="Prévisualiser le courriel « Demande enregistrée »")
    frame = page.frame_locator("iframe.guichet-email-preview")
    field.fill("Préparez votre RIB.")
    preview.click()
    page.wait_for_url("**/courriels/#apercu-submitted")
    expect(frame.locator("body")).to_contain_text("Préparez votre RIB.")
    # Changed and previewed again from the preview's own address.
    field.fill("Préparez votre <b>RIB</b>.\nDemande {numero} pour {demarche}.")
    preview.click()
    expect(frame.locator("body")).to_contain_text("Préparez votre <b>RIB</b>.")
    expect(frame.locator("body")).to_contain_text("Bonjour,")
    expect(frame.locator("body")).to_contain_text("pour Aide départementale au chauffage.")
    expect(frame.locator("b")).to_have_count(0)
    expect(field).to_have_value("Préparez votre <b>RIB</b>.\nDemande {numero} pour {demarche}.")
    assert_accessible(page)
    screenshot(page, "email-texts-preview")

    save = page.get_by_role("button", name="Enregistrer les textes")
    # Scrolled first: Playwright's own scroll then click can land in the preview's frame
    # (an out-of-process sandboxed frame) while the page still scrolls.
    save.scroll_into_view_if_needed()
    save.click()
    expect(page.get_by_text("Les textes des courriels sont enregistrés.")).to_be_visible()
    context.close()

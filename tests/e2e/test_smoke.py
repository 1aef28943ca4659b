"""Browser smoke test: Debian's Chromium loads the home page."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_in_a_real_browser(page, screenshot):
    call_command("seed_demo")
    page.goto("/")
    assert page.locator("h1").inner_text() == "Vos démarches en ligne"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="Contenu").focus()
    path = screenshot(page, "00-home")
    assert path.stat().st_size > 10_000

"""At 320 px wide (a small phone, or 400 % zoom): no page scrolls sideways — "Mes
démarches" shows every column as a stacked card, the demande's tabs all fit, the
porte-documents and the instructor's queue fit, the security log scrolls with the keyboard.
The skip link is the first stop of the keyboard and leads to the content."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cases.models import Case
from identity.models import SecurityEvent, User
from identity.services import security_event_record
from tests.support.client import CommitClient, force_app_login
from tests.support.filing import ACTIVITY_ANSWERS, file_demande, pdf_upload, start_draft
from tests.support.instruction import make_instructor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 320


@pytest.fixture
def applicant(db):
    from io import StringIO

    from cases import demo as cases_demo
    from identity import demo as identity_demo

    identity_demo.seed(StringIO())
    cases_demo.seed(StringIO())
    return User.objects.create_user("lina.moreau@example.fr", "x")


def _narrow_page(browser, live_server, user, *, staff=False):
    client = Client()
    if staff:
        force_app_login(client, user)
    else:
        client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": WIDTH, "height": 640}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def _inside_viewport(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH


def test_narrow_screen(browser, live_server, applicant, screenshot):
    filer = CommitClient()
    filer.force_login(applicant)
    filed = file_demande(
        filer, "declaration-activite", {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload("kbis.pdf")}
    )
    assert filed.status == Case.Status.IN_INSTRUCTION
    start_draft(filer, "aide-chauffage")
    for kind in (SecurityEvent.Kind.LOGIN, SecurityEvent.Kind.CODE_SENT):
        security_event_record(user=applicant, kind=kind, detail="par courriel")
    page = _narrow_page(browser, live_server, applicant)

    page.goto("/mes-demarches/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    rows = page.locator(".guichet-stacked tbody tr")
    assert rows.count() == 2
    for index in range(2):
        row = rows.nth(index)
        status = row.locator("td[data-label='État']")
        todo = row.locator("td[data-label='À faire']")
        for cell in (status, todo):
            assert cell.is_visible()
            assert _inside_viewport(cell)
            label = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert cell.get_attribute("data-label") in label
    assert _inside_viewport(page.get_by_text("Rien : le service étudie votre demande"))
    assert _inside_viewport(page.get_by_text("Terminer et déposer"))
    screenshot(page, "narrow-01-mes-demarches")

    page.goto(f"/demandes/{filed.number}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    tab = page.locator(".fr-tabs__tab", has_text="Messagerie")
    assert tab.is_visible()
    assert _inside_viewport(tab)
    screenshot(page, "narrow-02-demande")

    # The keyboard's first stop is the skip link; it leads to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()

    page.goto("/porte-documents/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "narrow-03-porte-documents")

    page.goto("/compte/securite/")
    log = page.locator(".guichet-scroll")
    assert log.get_attribute("tabindex") == "0"
    assert log.get_attribute("role") == "region"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    overflow = log.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow > 0  # the log is wider than the screen here: keyboard scrolling matters
    log.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.guichet-scroll').scrollLeft > 0", timeout=5000
    )
    log.scroll_into_view_if_needed()
    screenshot(page, "narrow-05-journal-de-securite")
    page.context.close()


def test_the_instructor_queue_fits_a_narrow_screen(browser, live_server, applicant, screenshot):
    instructor = make_instructor(
        "ines.roux@departement.example", "Inès", "Roux", "developpement-economique"
    )
    filer = CommitClient()
    filer.force_login(applicant)
    filed = file_demande(
        filer, "declaration-activite", {**ACTIVITY_ANSWERS, "file__kbis": pdf_upload()}
    )
    page = _narrow_page(browser, live_server, instructor, staff=True)

    page.goto("/instruction/?onglet=tous")
    expect(page.get_by_role("navigation", name="Files de demandes")).to_be_visible()
    expect(page.get_by_role("link", name=filed.display_number)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "narrow-04-instruction")
    page.context.close()

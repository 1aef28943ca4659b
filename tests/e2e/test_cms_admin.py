"""The Wagtail admin in a real browser, under the portal's Content-Security-Policy: an
editor writes a guide (with an image), previews it, schedules it and submits it; a
moderator approves it; once published it is found by the search. Any CSP violation,
console error or uncaught exception on the way fails the test."""

from datetime import timedelta
from io import StringIO
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cms import demo
from cms.demo import MODERATOR_EMAIL
from cms.models import GuideIndexPage, GuidePage
from tests.cms import admin
from tests.cms.images import make_image

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Reports every CSP violation to the test through the console (the event carries no
# stack and never reaches page.on("pageerror")).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""

TITLE = "Obtenir une attestation de domicile"
GO_LIVE = "2030-01-15 09:00"
SLOW = 60_000  # ms, for answers of the live server on a loaded machine


class BrowserProblems(list):
    """Console errors, uncaught exceptions and CSP violations seen by one browser context."""

    def watch(self, page):
        page.on(
            "console",
            lambda message: message.type == "error" and self.append(f"{page.url}: {message.text}"),
        )
        page.on("pageerror", lambda error: self.append(f"{page.url}: {error}"))
        return page


def serve_media(route):
    """Media files, served from the storage as the web server in front of Django would."""
    name = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
    storage = storages["default"]
    if not storage.exists(name):
        route.fulfill(status=404)
        return
    with storage.open(name) as file:
        route.fulfill(body=file.read())


@pytest.fixture
def admin_session(browser, live_server, settings):
    """Opens browser contexts logged in as a given user, the way the portal's staff rule
    expects (app/card second factor), and checks at the end that nothing went wrong."""
    contexts, problems = [], BrowserProblems()
    # Autosave posts half-filled forms at moments of its own choosing (answered 400 while
    # a required field is empty); this journey saves explicitly, step by step.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0

    def open_as(user):
        client = Client()
        client.force_login(user)
        session = client.session
        session["guichet_second_factor"] = "totp"
        session.save()
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        context.set_default_timeout(60_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", serve_media)
        context.on("page", problems.watch)
        contexts.append(context)
        return problems.watch(context.new_page())

    yield open_as, problems
    for context in contexts:
        context.close()


def _planned_time_passes(revision):
    """Moves the approved schedule of ``revision`` one minute into the past."""
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


def test_editor_and_moderator_publish_a_guide_without_csp_violations(
    admin_session, live_server, screenshot
):
    demo.seed(StringIO())
    open_as, problems = admin_session
    make_image("Page de connexion")
    index = GuideIndexPage.objects.get(locale__language_code="fr")
    editor = open_as(admin.editor(Client()))

    # Explorer, then a new guide with one step illustrated by an image of the library.
    editor.goto(f"/cms-admin/pages/{index.pk}/")
    expect(editor.get_by_role("link", name="Créer et activer votre compte").first).to_be_visible()
    screenshot(editor, "cms-admin-1-explorer")
    editor.goto(admin.add_guide_url(index))
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_intro").fill("Ce guide explique comment obtenir une attestation.")
    editor.get_by_role("button", name="Insérer un bloc").first.click()
    editor.get_by_role("option", name="Étape").click()
    editor.locator("[name='body-0-value-title']").fill("Ouvrez votre espace fournisseur")
    editor.locator("[data-contentpath='text'] [contenteditable='true']").first.click()
    editor.keyboard.type("Choisissez « Attestation de domicile ».")
    editor.get_by_role("button", name="Choisir une image").first.click()
    editor.get_by_role("link", name="Page de connexion").first.click()
    editor.locator("[name='body-0-value-illustration-alt']").fill("La page de connexion.")
    screenshot(editor, "cms-admin-2-written")
    editor.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(editor.locator(".messages")).to_contain_text("créée.", timeout=SLOW)
    guide = GuidePage.objects.get(title=TITLE, locale=index.locale)
    assert guide.body[0].value["illustration"]["image"].title == "Page de connexion"

    # The preview panel frames the page as it will look.
    editor.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = editor.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name=TITLE)).to_be_visible(timeout=SLOW)
    screenshot(editor, "cms-admin-3-preview")

    # Scheduling with Wagtail's date picker, then submission to the moderators.
    editor.get_by_role("button", name="Afficher/masquer le statut").click()
    editor.get_by_role("button", name="Programmer").click()
    go_live = editor.locator("#id_go_live_at")
    go_live.click()
    expect(editor.locator(".xdsoft_datetimepicker").first).to_be_visible()
    screenshot(editor, "cms-admin-4-schedule")
    go_live.fill(GO_LIVE)
    editor.get_by_role("heading", name="Définir la programmation de publication").click()
    editor.get_by_role("button", name="Enregistrer la programmation").click()
    editor.get_by_role("button", name="Plus d'actions").click()
    editor.get_by_role("button", name="Soumettre à Relecture avant publication").click()
    expect(editor.locator(".messages")).to_contain_text("soumise pour modération", timeout=SLOW)
    guide.refresh_from_db()
    assert guide.current_workflow_state.status == "in_progress"

    # The moderator approves from the edit screen: the guide is scheduled, not yet live.
    moderator = open_as(get_user_model().objects.get(email=MODERATOR_EMAIL))
    moderator.goto(f"/cms-admin/pages/{guide.pk}/edit/")
    moderator.get_by_role("button", name="Plus d'actions").click()
    moderator.get_by_role("button", name="Approuver et Publier").click()
    expect(moderator.locator(".messages")).to_contain_text("mise à jour", timeout=SLOW)
    screenshot(moderator, "cms-admin-5-approved")
    guide.refresh_from_db()
    assert guide.current_workflow_state is None
    assert not guide.live
    assert guide.status_string == "programmée"

    # At the planned time the scheduler publishes it, and the search finds it.
    _planned_time_passes(guide.latest_revision)
    call_command("publish_scheduled", stdout=StringIO())
    editor.goto("/recherche/?q=attestation")
    expect(editor.get_by_role("link", name=TITLE)).to_be_visible(timeout=SLOW)

    assert problems == []

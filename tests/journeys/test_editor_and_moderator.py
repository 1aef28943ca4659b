"""Journey 3 — editor and moderator: a guide written, previewed, scheduled, submitted,
approved, found by search, linked from the screen it helps.

The same steps as tests/e2e/test_cms_admin.py, on the real stack (gunicorn, the images on
S3 served by the bucket itself). The Wagtail admin is Wagtail's own markup: it runs in
plain browser contexts that watch the console for CSP violations and errors but are not
audited. Every public page (the screen the guide helps, the search results, the guide)
is visited through the journey, so axe-core and the Nu HTML Checker check it.
"""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from cms.models import GuideIndexPage, GuidePage, HelpLink
from tests.cms import admin
from tests.cms.images import make_image
from tests.e2e.test_cms_admin import (
    GO_LIVE,
    REPORT_CSP_VIOLATIONS,
    SLOW,
    BrowserProblems,
    _planned_time_passes,
)
from tests.journeys.conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

TITLE = "Recevoir un nouveau lien d'activation"
SCREEN = "identity:resend_activation"
SCREEN_URL = "/compte/activation/nouveau-lien/"
GUIDE_LINK = f"Besoin d'aide ? Consultez le guide « {TITLE} »"
DIFFICULTY = "Vous rencontrez une difficulté ?"


def open_admin(browser, stack, login, problems):
    """A browser context of the Wagtail admin, logged in by ``login(client)`` as after an
    app login (the only kind staff areas accept); not audited, but watched for CSP
    violations, console errors and uncaught exceptions."""
    client = Client()
    login(client)
    context = browser.new_context(base_url=stack.url, locale="fr-FR")
    context.set_default_timeout(SLOW)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": stack.url,
            }
        ]
    )
    context.on("page", problems.watch)
    return problems.watch(context.new_page())


def write_and_submit(editor, index) -> GuidePage:
    """The editor writes the guide, illustrated by an image of the library, previews it,
    schedules it and submits it to the moderators."""
    editor.goto(f"/cms-admin/pages/{index.pk}/")
    expect(editor.get_by_role("link", name="Créer et activer votre compte").first).to_be_visible()
    editor.goto(admin.add_guide_url(index))
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_intro").fill(
        "Votre lien d'activation a expiré ou n'est jamais arrivé ? Demandez-en un autre."
    )
    editor.get_by_role("button", name="Insérer un bloc").first.click()
    editor.get_by_role("option", name="Étape").click()
    editor.locator("[name='body-0-value-title']").fill("Saisissez votre adresse électronique")
    editor.locator("[data-contentpath='text'] [contenteditable='true']").first.click()
    editor.keyboard.type("Utilisez l'adresse donnée lors de votre inscription.")
    editor.get_by_role("button", name="Choisir une image").first.click()
    editor.get_by_role("link", name="Page de connexion").first.click()
    editor.locator("[name='body-0-value-illustration-alt']").fill(
        "Le formulaire « Recevoir un nouveau lien »."
    )
    editor.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(editor.locator(".messages")).to_contain_text("créée.", timeout=SLOW)
    guide = GuidePage.objects.get(title=TITLE, locale=index.locale)
    assert guide.body[0].value["illustration"]["image"].title == "Page de connexion"

    editor.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = editor.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name=TITLE)).to_be_visible(timeout=SLOW)

    editor.get_by_role("button", name="Afficher/masquer le statut").click()
    editor.get_by_role("button", name="Programmer").click()
    go_live = editor.locator("#id_go_live_at")
    go_live.click()
    expect(editor.locator(".xdsoft_datetimepicker").first).to_be_visible()
    go_live.fill(GO_LIVE)
    editor.get_by_role("heading", name="Définir la programmation de publication").click()
    editor.get_by_role("button", name="Enregistrer la programmation").click()
    editor.get_by_role("button", name="Plus d'actions").click()
    editor.get_by_role("button", name="Soumettre à Relecture avant publication").click()
    expect(editor.locator(".messages")).to_contain_text("soumise pour modération", timeout=SLOW)
    guide.refresh_from_db()
    assert guide.current_workflow_state.status == "in_progress"
    return guide


def approve_and_link(moderator, guide) -> None:
    """The moderator approves (the guide is scheduled, not yet live), then maps the screen
    it helps to it: a contextual help link, a snippet of the admin."""
    moderator.goto(f"/cms-admin/pages/{guide.pk}/edit/")
    moderator.get_by_role("button", name="Plus d'actions").click()
    moderator.get_by_role("button", name="Approuver et Publier").click()
    expect(moderator.locator(".messages")).to_contain_text("mise à jour", timeout=SLOW)
    guide.refresh_from_db()
    assert guide.current_workflow_state is None
    assert not guide.live
    assert guide.status_string == "programmée"

    moderator.goto("/cms-admin/snippets/cms/helplink/add/")
    moderator.locator("#id_url_name").fill(SCREEN)
    moderator.get_by_role("button", name="Choisissez une page").click()
    moderator.locator("input#id_q").last.fill("nouveau lien")  # the modal comes last
    # The French guide: Wagtail keeps an alias of each new page in the English tree.
    moderator.get_by_role("link", name=TITLE, exact=True).and_(
        moderator.locator(f"[data-id='{guide.pk}']")
    ).click()
    expect(moderator.locator("[data-chooser-title]").first).to_have_text(TITLE)
    moderator.get_by_role("button", name="Enregistrer").first.click()
    expect(moderator.locator(".messages")).to_contain_text(SCREEN, timeout=SLOW)
    assert HelpLink.objects.get(url_name=SCREEN).page_id == guide.pk


def test_a_guide_is_written_approved_published_found_and_linked_from_its_screen(
    journey, browser, stack
):
    call_command("seed_demo", stdout=StringIO())
    make_image("Page de connexion")  # stored on the S3 bucket, read from there by browsers
    index = GuideIndexPage.objects.get(locale__language_code="fr")
    problems = BrowserProblems()

    # A visitor who lost their activation link: no guide for this screen yet.
    visitor = journey.open()
    problems.watch(visitor)
    visitor.goto(SCREEN_URL)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Recevoir un nouveau lien d'activation"
    )
    expect(visitor.locator("#contenu").get_by_role("link", name=DIFFICULTY)).to_be_visible()
    expect(visitor.get_by_role("link", name=GUIDE_LINK)).to_have_count(0)
    journey.check(visitor, "screen-without-guide")

    editor = open_admin(browser, stack, admin.editor, problems)
    guide = write_and_submit(editor, index)
    journey.screenshot(editor, "j3-editor-submitted")

    moderator = open_admin(browser, stack, admin.moderator, problems)
    approve_and_link(moderator, guide)
    journey.screenshot(moderator, "j3-moderator-linked")

    # Still scheduled: the screen links to no guide that visitors could not read.
    visitor.reload()
    expect(visitor.get_by_role("link", name=GUIDE_LINK)).to_have_count(0)
    journey.check(visitor, "screen-guide-scheduled")

    # At the planned time the scheduler publishes it.
    _planned_time_passes(guide.latest_revision)
    call_command("publish_scheduled", stdout=StringIO())
    guide.refresh_from_db()
    assert guide.live

    # The visitor finds it with the search box of the header...
    keyboard = journey.keyboard(visitor)
    keyboard.type(visitor.locator("#recherche-entete"), "nouveau lien activation")
    visitor.keyboard.press("Enter")
    visitor.wait_for_url("**/recherche/?q=*")
    hit = visitor.get_by_role("link", name=TITLE)
    expect(hit).to_be_visible()
    journey.check(visitor, "search-results")
    keyboard.press(hit)
    visitor.wait_for_url(f"**{guide.url}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    illustration = visitor.get_by_role("img", name="Le formulaire « Recevoir un nouveau lien ».")
    expect(illustration).to_be_visible()
    assert illustration.evaluate("img => img.complete && img.naturalWidth > 0")
    journey.check(visitor, "guide")

    # ...and from the screen it helps, next to "Vous rencontrez une difficulté ?".
    visitor.goto(SCREEN_URL)
    expect(visitor.locator("#contenu").get_by_role("link", name=DIFFICULTY)).to_be_visible()
    link = visitor.get_by_role("link", name=GUIDE_LINK)
    expect(link).to_have_attribute("href", guide.url)
    journey.check(visitor, "screen-with-guide")
    keyboard.press(link)
    visitor.wait_for_url(f"**{guide.url}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    journey.check(visitor, "guide-from-screen")
    journey.screenshot(visitor, "j3-guide-from-screen")

    editor.context.close()
    moderator.context.close()
    assert problems == []
    journey.finish()

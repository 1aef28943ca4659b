"""Sitemap, robots.txt, the English version, editor roles from seed_demo."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page

from cms.models import GuideIndexPage, GuidePage

pytestmark = pytest.mark.django_db


def test_sitemap_lists_the_public_pages_only(client, help_centre):
    from cms.models import GuideIndexPage, GuidePage

    index = GuideIndexPage.objects.get(locale__language_code="fr")
    index.add_child(
        instance=GuidePage(title="Brouillon", slug="brouillon", intro="x", body=[], live=False)
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/guides/creer-un-compte/</loc>" in body
    assert "/faq/documents/</loc>" in body
    assert "/demarches/aide-chauffage/</loc>" in body
    assert "/mentions-legales/</loc>" in body
    assert "brouillon" not in body


def test_robots_txt_points_to_the_sitemap_and_keeps_admin_out(client, settings):
    settings.GUICHET_SITE_URL = "https://guichet.example.fr"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /cms-admin/" in body
    assert "Sitemap: https://guichet.example.fr/sitemap.xml" in body


def test_the_language_switch_shows_the_english_page_when_one_exists(client, help_centre):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "Your online procedures" in body
    assert (
        "Create and activate your account"
        in client.get("/guides/creer-un-compte/").content.decode()
    )
    # Not translated yet: the English tree shows the French page at the same address.
    index = GuideIndexPage.objects.get(locale__language_code="fr")
    draft = index.add_child(
        instance=GuidePage(title="Obtenir un justificatif", slug="justificatif", intro="x", body=[])
    )
    draft.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    guide = client.get("/guides/justificatif/")
    assert guide.status_code == 200
    assert "Obtenir un justificatif" in guide.content.decode()

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Vos démarches en ligne" in client.get("/").content.decode()


def test_seed_demo_sets_up_editors_moderators_and_the_moderation_workflow(seeded):
    from django.contrib.auth.models import Group
    from wagtail.models import Page

    from cms.demo import DEMO_PASSWORD, MODERATOR_EMAIL
    from cms.models import GuidePage
    from identity.demo import DEMO_PASSWORD as IDENTITY_PASSWORD

    assert DEMO_PASSWORD == IDENTITY_PASSWORD
    moderator = get_user_model().objects.get(email=MODERATOR_EMAIL)
    assert moderator.check_password(DEMO_PASSWORD)
    assert moderator.groups.filter(name="Modérateurs").exists()
    editors = Group.objects.get(name="Éditeurs")
    assert editors.permissions.filter(codename="access_admin").exists()
    assert not editors.page_permissions.filter(permission__codename="publish_page").exists()
    guide = GuidePage.objects.get(slug="creer-un-compte", locale__language_code="fr")
    workflow = guide.get_workflow()
    assert workflow.name == "Relecture avant publication"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Modérateurs"]
    assert Page.objects.filter(locale__language_code="en", depth=2).exists()


def test_a_translated_guide_is_shown_in_english_and_its_help_link_follows(client, help_centre):
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/guides/se-connecter/").content.decode()
    assert "Log in with the 6-digit code" in body
    assert "Enter your identifier and password" in body

    with translation.override("en"):
        html = Template('{% load cms_tags %}{% help_link "account_login" %}').render(
            Context({"request": RequestFactory().get("/")})
        )
    assert "Log in with the 6-digit code" in html


def test_the_english_help_centre_is_translated_not_aliased(client, help_centre):
    french = Page.objects.filter(locale__language_code="fr", depth__gt=2)
    english = Page.objects.filter(locale__language_code="en", depth__gt=2)
    assert english.count() == french.count()
    assert list(english.filter(alias_of__isnull=False)) == []

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = {
        "/guides/": "Step-by-step guides",
        "/guides/porte-documents/": "Use your document locker",
        "/faq/documents/": "Which file formats are accepted?",
        "/demarches/aide-chauffage/": "Departmental heating aid",
        "/aide/": "Having trouble?",
        "/mentions-legales/": "Legal notice",
    }
    for path, english_text in pages.items():
        body = client.get(path).content.decode()
        assert english_text in body, path

"""Help-centre pages are kept whole for visitors without a session, and rendered again as
soon as anything of the help centre changes (cms/page_cache.py, ADR 0204)."""

import re

import pytest
from django.test import Client

from cms.models import GuidePage, HelpLink
from identity.models import User

pytestmark = pytest.mark.django_db
GUIDE = "/guides/creer-un-compte/"


def nonces(response) -> tuple[set[str], str]:
    body = response.content.decode()
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return set(re.findall(r'nonce="([^"]+)"', body)), header and header.group(1)


def test_a_guide_is_served_from_the_cache_with_a_fresh_nonce(
    help_centre, django_assert_num_queries
):
    first = Client().get(GUIDE)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(GUIDE)
    assert second.status_code == 200
    assert second.content.decode().count("Créer un compte") >= 1
    # Each answer's scripts carry the nonce of its own policy, never the stored one.
    (body_first, header_first), (body_second, header_second) = nonces(first), nonces(second)
    assert body_first == {header_first}
    assert body_second == {header_second}
    assert header_first != header_second
    assert second["Content-Type"].startswith("text/html")


def test_publishing_a_change_shows_at_once(help_centre):
    anonymous = Client()
    assert "Nouvelle version du guide" not in anonymous.get(GUIDE).content.decode()
    guide = GuidePage.objects.get(slug="creer-un-compte", locale__language_code="fr")
    guide.title = "Nouvelle version du guide"
    guide.save_revision().publish()
    assert "Nouvelle version du guide" in anonymous.get(GUIDE).content.decode()
    # The home page too.
    assert "Bienvenue, nouvelle version" not in anonymous.get("/").content.decode()
    help_centre.intro = "<p>Bienvenue, nouvelle version</p>"
    help_centre.save_revision().publish()
    assert "Bienvenue, nouvelle version" in anonymous.get("/").content.decode()
    guide.refresh_from_db()
    guide.unpublish()
    assert anonymous.get(GUIDE).status_code == 404


def test_a_draft_saved_without_publishing_changes_nothing_visible(help_centre):
    anonymous = Client()
    before = anonymous.get(GUIDE).content.decode()
    guide = GuidePage.objects.get(slug="creer-un-compte", locale__language_code="fr")
    guide.title = "Brouillon non publié"
    guide.save_revision()
    assert "Brouillon non publié" not in anonymous.get(GUIDE).content.decode()
    assert "Créer un compte" in before


def test_a_signed_in_person_always_gets_a_fresh_page(help_centre, django_assert_max_num_queries):
    Client().get(GUIDE)  # stored for visitors without a session
    member = Client()
    member.force_login(User.objects.create_user("camille.martin@example.fr", "x"))
    response = member.get(GUIDE)
    assert "Se déconnecter" in response.content.decode()
    assert "Se déconnecter" not in Client().get(GUIDE).content.decode()


def test_nothing_is_kept_when_the_cache_is_off(
    help_centre, settings, django_assert_max_num_queries
):
    settings.GUICHET_PAGE_CACHE_SECONDS = 0
    Client().get(GUIDE)
    with django_assert_max_num_queries(30) as queries:
        Client().get(GUIDE)
    assert len(queries) > 0


def test_a_help_link_follows_its_guide(seeded):
    anonymous = Client()
    assert (
        'href="/guides/suivre-une-demande-sans-compte/"'
        in anonymous.get("/suivre/").content.decode()
    )
    link = HelpLink.objects.get(url_name="cases:track")
    other = GuidePage.objects.get(slug="creer-un-compte", locale__language_code="fr")
    link.page = other
    link.save()
    body = anonymous.get("/suivre/").content.decode()
    assert 'href="/guides/creer-un-compte/"' in body
    other.title = "Ouvrir un compte"
    other.save_revision().publish()
    assert "« Ouvrir un compte »" in anonymous.get("/suivre/").content.decode()
    link.delete()
    assert "Consultez le guide" not in anonymous.get("/suivre/").content.decode()

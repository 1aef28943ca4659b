"""Links from the help centre to portal screens, and from portal screens to their guide."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cms.models import GuidePage, HelpLink

pytestmark = pytest.mark.django_db


def test_the_demarche_call_to_action_resolves_to_the_filing_form(client, help_centre):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the procedures
    body = client.get("/demarches/aide-chauffage/").content.decode()
    assert 'href="/demarches/aide-chauffage/commencer/"' in body
    assert "Faire la demande en ligne" in body
    assert 'data-procedure-form="unavailable"' not in body
    form = client.get("/demarches/aide-chauffage/commencer/")
    assert form.status_code == 200
    assert "Aide départementale au chauffage" in form.content.decode()


@pytest.mark.urls("tests.cms.urls_without_portal")
def test_without_the_filing_form_the_demarche_page_says_it_is_not_open_yet(client, help_centre):
    body = client.get("/demarches/changement-adresse/").content.decode()
    assert 'data-procedure-form="unavailable"' in body
    assert "n&#x27;est pas encore ouvert" in body or "n'est pas encore ouvert" in body
    assert 'href="/demarches/changement-adresse/"' in body


def test_home_entry_points_lead_to_the_portal_screens(client, help_centre):
    body = client.get("/").content.decode()
    assert 'href="/suivre/"' in body
    assert f'href="{reverse("account_login")}"' in body


@pytest.mark.urls("tests.cms.urls_without_portal")
def test_home_entry_points_fall_back_to_their_guides_until_the_screens_exist(client, help_centre):
    body = client.get("/").content.decode()
    assert 'href="/guides/suivre-une-demande-sans-compte/"' in body


def _render(source: str, path: str = "/connexion/") -> str:
    request = RequestFactory().get(path)
    return Template("{% load cms_tags %}" + source).render(Context({"request": request}))


def test_help_link_renders_the_mapped_guide(help_centre):
    html = _render('{% help_link "account_login" %}')
    assert 'href="/guides/se-connecter/"' in html
    assert "Vous connecter avec le code à 6 chiffres" in html


def test_help_link_renders_nothing_without_a_mapping_or_a_live_page(help_centre):
    assert _render('{% help_link "nothing:here" %}').strip() == ""
    guide = GuidePage.objects.get(slug="porte-documents", locale__language_code="fr")
    HelpLink.objects.update_or_create(url_name="locker:document_list", defaults={"page": guide})
    assert "porte-documents" in _render('{% help_link "locker:document_list" %}')
    guide.unpublish()
    assert _render('{% help_link "locker:document_list" %}').strip() == ""


def test_help_links_are_editable_in_the_admin_as_a_snippet(client, help_centre):
    from django.contrib.auth import get_user_model

    from cms.demo import MODERATOR_EMAIL
    from tests.support.client import force_app_login

    force_app_login(client, get_user_model().objects.get(email=MODERATOR_EMAIL))
    response = client.get("/cms-admin/snippets/cms/helplink/")
    assert response.status_code == 200
    assert "account_login" in response.content.decode()


def test_the_help_link_page_chooser_starts_without_an_inline_script(client, help_centre):
    """Our CSP blocks inline scripts in the admin: cms/admin/init.js starts the chooser."""
    from django.contrib.auth import get_user_model

    from cms.demo import MODERATOR_EMAIL
    from tests.support.client import force_app_login

    force_app_login(client, get_user_model().objects.get(email=MODERATOR_EMAIL))
    body = client.get("/cms-admin/snippets/cms/helplink/add/").content.decode()
    assert "new PageChooser(" not in body
    assert '<script type="application/json" data-guichet-admin-init="PageChooser">' in body

"""Editors draft and submit, moderators approve: through the real Wagtail admin views."""

import pytest
from django.test import Client
from wagtail.models import Page

from cms.models import GuideIndexPage, GuidePage
from tests.cms import admin

pytestmark = pytest.mark.django_db


def test_an_editor_creates_a_guide_submits_it_a_moderator_approves_it_and_it_is_public(
    client, help_centre
):
    index = GuideIndexPage.objects.get(locale__language_code="fr")
    editor_client, moderator_client, public = Client(), Client(), Client()
    admin.editor(editor_client)
    admin.moderator(moderator_client)

    # The editor sees the add form, saves a draft, then submits it for review.
    assert editor_client.get(admin.add_guide_url(index)).status_code == 200
    response = editor_client.post(
        admin.add_guide_url(index),
        admin.guide_form("Obtenir un justificatif de domicile", "justificatif-domicile"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    guide = GuidePage.objects.get(slug="justificatif-domicile", locale=index.locale)
    assert not guide.live
    assert public.get("/guides/justificatif-domicile/").status_code == 404

    edit_url = f"/cms-admin/pages/{guide.pk}/edit/"
    response = editor_client.post(
        edit_url,
        admin.guide_form(
            "Obtenir un justificatif de domicile", "justificatif-domicile", **{"action-submit": "1"}
        ),
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.current_workflow_state.status == "in_progress"
    assert not guide.live
    assert public.get("/guides/justificatif-domicile/").status_code == 404

    # Editors cannot publish by themselves: the publish action is refused.
    editor_client.post(
        edit_url,
        admin.guide_form(
            "Obtenir un justificatif de domicile",
            "justificatif-domicile",
            **{"action-publish": "1"},
        ),
    )
    guide.refresh_from_db()
    assert not guide.live

    # The moderator finds it in the admin dashboard and approves it with a comment.
    dashboard = moderator_client.get("/cms-admin/").content.decode()
    assert "Obtenir un justificatif de domicile" in dashboard
    response = moderator_client.post(
        admin.workflow_action_url(guide, "approve"), {"comment": "Clair et complet, merci."}
    )
    assert response.status_code in (200, 302)
    guide.refresh_from_db()
    assert guide.live
    assert guide.current_workflow_state is None

    page = public.get("/guides/justificatif-domicile/")
    assert page.status_code == 200
    assert "Ouvrez le formulaire" in page.content.decode()
    assert Page.objects.filter(alias_of=guide).exists(), "the English tree mirrors it"

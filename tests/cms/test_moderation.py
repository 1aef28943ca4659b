"""Drafts and pages waiting for review are never public; rejection; revisions and rollback."""

import pytest
from django.test import Client
from django.urls import reverse

from cms.models import GuideIndexPage, GuidePage
from tests.cms import admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(help_centre):
    index = GuideIndexPage.objects.get(locale__language_code="fr")
    page = GuidePage(
        title="Brouillon en cours",
        slug="brouillon",
        intro="Un guide pas encore relu.",
        body=[],
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def test_a_draft_is_404_for_anonymous_and_visible_in_preview_to_editors(client, draft):
    assert client.get("/guides/brouillon/").status_code == 404

    editor = Client()
    admin.editor(editor)
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=(draft.pk,)))
    assert preview.status_code == 200
    assert "Brouillon en cours" in preview.content.decode()
    # The draft preview is not for the public.
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=(draft.pk,))).status_code == 302


def test_a_page_in_moderation_is_404_for_anonymous_and_visible_in_preview(client, draft):
    editor = Client()
    user = admin.editor(editor)
    draft.get_workflow().start(draft, user)
    draft.refresh_from_db()
    assert draft.workflow_in_progress
    assert client.get("/guides/brouillon/").status_code == 404
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=(draft.pk,)))
    assert "Brouillon en cours" in preview.content.decode()


def test_changes_waiting_for_review_are_not_served_the_live_version_is(client, help_centre):
    guide = GuidePage.objects.get(slug="porte-documents", locale__language_code="fr")
    editor = Client()
    admin.editor(editor)
    response = editor.post(
        f"/cms-admin/pages/{guide.pk}/edit/",
        admin.guide_form(
            "Titre pas encore relu",
            "porte-documents",
            step_title="Étape non relue",
            **{"action-submit": "1"},
        ),
    )
    assert response.status_code == 302
    body = client.get("/guides/porte-documents/").content.decode()
    assert "Utiliser votre porte-documents" in body
    assert "Titre pas encore relu" not in body
    assert "Étape non relue" not in body


def test_a_moderator_rejection_returns_the_page_to_draft_with_the_comment(client, draft):
    editor, moderator = Client(), Client()
    user = admin.editor(editor)
    draft.get_workflow().start(draft, user)
    draft.refresh_from_db()
    task_state = draft.current_workflow_task_state

    admin.moderator(moderator)
    response = moderator.post(
        admin.workflow_action_url(draft, "reject"),
        {"comment": "Ajoutez une étape sur l'activation du compte."},
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    task_state.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "Ajoutez une étape sur l'activation du compte."
    assert draft.current_workflow_state.status == "needs_changes"
    assert not draft.live
    assert client.get("/guides/brouillon/").status_code == 404
    # Back with the editor: the edit form is open to them again.
    assert editor.get(f"/cms-admin/pages/{draft.pk}/edit/").status_code == 200


def test_an_editor_cannot_approve_only_moderators_can(draft):
    editor = Client()
    user = admin.editor(editor)
    draft.get_workflow().start(draft, user)
    draft.refresh_from_db()
    response = editor.post(admin.workflow_action_url(draft, "approve"), {"comment": ""})
    assert response.status_code in (302, 403)
    draft.refresh_from_db()
    assert not draft.live


def test_revisions_are_listed_and_an_old_one_can_be_restored(client, help_centre):
    guide = GuidePage.objects.get(slug="se-connecter", locale__language_code="fr")
    first = guide.save_revision()
    first.publish()
    guide.title = "Titre remplacé"
    guide.save_revision().publish()
    assert "Titre remplacé" in client.get("/guides/se-connecter/").content.decode()

    moderator = Client()
    admin.moderator(moderator)
    history = moderator.get(reverse("wagtailadmin_pages:history", args=(guide.pk,)))
    assert history.status_code == 200
    revert = moderator.get(
        reverse("wagtailadmin_pages:revisions_revert", args=(guide.pk, first.pk))
    )
    assert revert.status_code == 200
    assert "Vous connecter avec le code à 6 chiffres" in revert.content.decode()

    # Publishing the restored version puts the old title back on the public page.
    response = moderator.post(
        f"/cms-admin/pages/{guide.pk}/edit/",
        admin.guide_form(
            "Vous connecter avec le code à 6 chiffres", "se-connecter", **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    assert (
        "Vous connecter avec le code à 6 chiffres"
        in client.get("/guides/se-connecter/").content.decode()
    )

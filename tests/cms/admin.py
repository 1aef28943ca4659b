"""Helpers to drive the real Wagtail admin views with the test client."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.demo import MODERATOR_EMAIL
from tests.support.client import force_app_login

EDITOR_EMAIL = "editeur@guichet.test"


def editor(client):
    """The demo editor (group "Éditeurs"), logged in on ``client`` with an app."""
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    user = user_model.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(EDITOR_EMAIL, "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Éditeurs"))
    force_app_login(client, user)
    return user


def moderator(client):
    user = get_user_model().objects.get(email=MODERATOR_EMAIL)
    force_app_login(client, user)
    return user


def guide_form(title: str, slug: str, step_title: str = "Ouvrez le formulaire", **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "Ce guide explique comment demander un justificatif de domicile.",
            "body": streamfield(
                [
                    (
                        "step",
                        {
                            "title": step_title,
                            "text": rich_text("<p>Choisissez « Nouveau justificatif ».</p>"),
                            "illustration": {"image": "", "alt": "", "caption": ""},
                        },
                    )
                ]
            ),
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
        }
    )
    data.update(extra)
    return data


def add_guide_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("cms", "guidepage", parent.pk))


def workflow_action_url(page, action: str) -> str:
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))

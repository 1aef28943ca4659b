"""The Content-Security-Policy of the public site and of the Wagtail admin (ADR 0203)."""

import re

import pytest
from django.test import Client

from cms.models import GuidePage
from tests.cms import admin

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def _inline_scripts(html: str) -> list[str]:
    """Script elements a browser would run without a src (JSON data elements do not run)."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and "application/json" not in t]


def test_the_public_site_keeps_its_strict_policy(client, help_centre):
    for path in ("/", "/guides/se-connecter/", "/compte/login/"):
        response = client.get(path)
        directives = _directives(response)
        assert directives["frame-ancestors"] == ["'none'"], path
        assert "'unsafe-inline'" not in directives["script-src"], path
        assert response["X-Frame-Options"] == "DENY", path


def test_admin_screens_run_no_inline_script_and_cannot_be_framed(help_centre):
    editor = Client()
    admin.editor(editor)
    guide = GuidePage.objects.get(slug="se-connecter", locale__language_code="fr")
    response = editor.get(f"/cms-admin/pages/{guide.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-guichet-admin-init="initDateTimeChooser"' in html  # the schedule dialog
    assert _inline_scripts(html) == []
    directives = _directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_preview_is_framed_by_the_admin_itself(help_centre):
    editor = Client()
    admin.editor(editor)
    guide = GuidePage.objects.get(slug="se-connecter", locale__language_code="fr")
    preview_url = f"/cms-admin/pages/{guide.pk}/edit/preview/"
    editor.post(preview_url, admin.guide_form(guide.title, guide.slug))
    response = editor.get(preview_url + "?in_preview_panel=true")
    assert response.status_code == 200
    assert guide.title in response.content.decode()
    directives = _directives(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"

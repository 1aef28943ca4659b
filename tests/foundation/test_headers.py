"""Response headers set once for every page: no browser or proxy cache for pages of a
session (logged in, or tracking a demande without an account), and a Permissions-Policy."""

import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cases import tracking
from tests.identity.helpers import make_active_user

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_public_page_seen_without_a_session_may_be_cached(client):
    response = client.get(reverse("cms:search"))
    assert response.status_code == 200
    assert not _no_store(response)


def test_every_page_of_a_logged_in_session_is_private_and_not_stored(client):
    client.force_login(make_active_user("louise@example.fr"))
    for path in (reverse("cms:search"), reverse("identity:security")):
        assert _no_store(client.get(path)), path


def test_pages_seen_while_tracking_a_demande_are_private_and_not_stored(client):
    session = client.session
    tracking.grant(session, SimpleNamespace(pk=uuid.uuid4()))
    session.save()
    assert _no_store(client.get(reverse("cms:search")))


def test_every_page_turns_off_the_browser_features_nobody_uses(client):
    policy = client.get(reverse("cms:search"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy

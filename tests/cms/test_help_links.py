"""Each portal screen links to the guide that explains it (the seeded help links)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cms.demo import HELP_LINKS
from identity.models import User

pytestmark = pytest.mark.django_db


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_seeded_help_link_names_a_portal_screen():
    names = set(_url_names())
    assert sorted(set(HELP_LINKS) - names) == []


@pytest.mark.parametrize(
    ("path", "signed_in", "guide"),
    [
        ("/compte/login/", False, "se-connecter"),
        ("/compte/signup/", False, "creer-un-compte"),
        ("/compte/password/reset/", False, "mot-de-passe-oublie"),
        ("/compte/securite/", True, "application-ou-carte-otp"),
        ("/suivre/", False, "suivre-une-demande-sans-compte"),
        ("/demarches/aide-chauffage/commencer/", False, "deposer-une-demande"),
        ("/porte-documents/", True, "porte-documents"),
    ],
)
def test_a_portal_screen_links_to_its_guide(client, seeded, path, signed_in, guide):
    if signed_in:
        client.force_login(User.objects.create_user("camille.martin@example.fr", "x"))
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/guides/{guide}/"' in body
    assert "Consultez le guide" in body

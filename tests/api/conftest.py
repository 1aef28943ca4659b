"""Fixtures of the API tests (tests/api/): a démarche administrator who instructs the
heating aid's service, tokens made through the service, and a demande of each state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import services
from tests.support.client import CommitClient


@pytest.fixture
def make_token(demarche_admin, demo_procedures):
    def make(*slugs, can_instruct=True, user=None, days=30):
        token, secret = services.token_create(
            user=user or demarche_admin,
            name="Logiciel métier",
            procedures=[demo_procedures[s] for s in slugs or ("aide-chauffage",)],
            can_instruct=can_instruct,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, secret

    return make


class ApiClient(CommitClient):
    """A client that sends a token with every request (and runs on-commit callbacks)."""

    def __init__(self, secret, **kwargs):
        super().__init__(**kwargs)
        self.secret = secret

    def request(self, **request):
        request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        return super().request(**request)

    def post_json(self, path, data=None):
        return self.post(path, data or {}, content_type="application/json")


@pytest.fixture
def api_client_for():
    return ApiClient

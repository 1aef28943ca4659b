"""Fixtures of the locker tests only; the shared ones are in tests/support/fixtures.py."""

import pytest

from tests.support.inspection import inspect


@pytest.fixture
def inspect_bytes():
    return inspect


@pytest.fixture
def make_user(db):
    from identity.models import User

    def make(email="marie@example.fr"):
        return User.objects.create_user(email, "Mot-de-passe-solide-2026", first_name="Marie")

    return make


@pytest.fixture
def owner(make_user):
    return make_user("marie@example.fr")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client

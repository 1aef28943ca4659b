"""Fixtures of the démarche administration tests: Alice administers the heating aid and
the change of address; Chloé (another service) administers the professional declaration."""

import pytest

from tests.support.instruction import login


@pytest.fixture
def other_admin(other_instructor, demo_procedures):
    demo_procedures["declaration-activite"].administrators.add(other_instructor)
    return other_instructor


@pytest.fixture
def heating(demo_procedures):
    return demo_procedures["aide-chauffage"]


@pytest.fixture
def admin_client(demarche_admin):
    return login(demarche_admin)

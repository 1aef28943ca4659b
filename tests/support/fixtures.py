"""Fixtures shared across the test packages, registered once as a pytest plugin
(``pytest_plugins`` in tests/conftest.py): no test module imports a conftest.

Plain helpers are in tests/support/filing.py and tests/support/instruction.py; demandes in
a given state, in tests/support/factories.py. A package's own conftest keeps only what
that package alone uses (e.g. tests/cases/conftest.py makes ``client`` the
``commit_client`` there).
"""

import pytest
from django.db import connection

from identity.models import User
from tests.support.client import CommitClient
from tests.support.filing import PASSWORD
from tests.support.instruction import login, make_instructor
from tests.support.services import CeleryWorker, OwnRedis, database_url


@pytest.fixture
def commit_client():
    """A test client whose requests run their on-commit callbacks (tests/support/client.py)."""
    return CommitClient()


@pytest.fixture
def demo_procedures(db):
    """The demo accounts and démarches, without the demo demandes (tests file their own)."""
    from io import StringIO

    from cases import demo as cases_demo
    from cases.models import Procedure
    from identity import demo as identity_demo

    out = StringIO()
    identity_demo.seed(out)
    cases_demo.seed(out)
    return {p.slug: p for p in Procedure.objects.all()}


@pytest.fixture
def applicant(db):
    return User.objects.create_user(
        "camille.martin@example.fr", PASSWORD, first_name="Camille", last_name="Martin"
    )


@pytest.fixture
def applicant_client(commit_client, applicant):
    commit_client.force_login(applicant)
    return commit_client


@pytest.fixture
def server_image():
    """An image file of the server, at a short path, that PDF markup could pull in."""
    import tempfile

    from tests.support.files import png_bytes

    with tempfile.NamedTemporaryFile(prefix="g", suffix=".png", dir="/tmp") as handle:
        handle.write(png_bytes())
        handle.flush()
        yield handle.name


@pytest.fixture
def instructor(demo_procedures):
    return make_instructor("alice.durand@departement.example", "Alice", "Durand", "action-sociale")


@pytest.fixture
def colleague(demo_procedures):
    return make_instructor("bruno.petit@departement.example", "Bruno", "Petit", "action-sociale")


@pytest.fixture
def other_instructor(demo_procedures):
    return make_instructor("chloe.morel@eco.example", "Chloé", "Morel", "developpement-economique")


@pytest.fixture
def instructor_client(instructor):
    return login(instructor)


@pytest.fixture
def broker():
    """A Redis server of the test's own as the broker: the session's worker never takes
    its tasks, and its workers take no one else's."""
    server = OwnRedis().start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(broker):
    """Start a worker (prefork, as in production) on the test's broker and database."""
    started = []

    def start(name: str, *, email_url: str, **env: str) -> CeleryWorker:
        worker = CeleryWorker(
            database_url=database_url(connection.settings_dict),
            broker_url=broker.url,
            email_url=email_url,
            name=name,
            pool="prefork",
            env=env,
        ).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()  # a throwaway worker on a throwaway broker: no need to wait for it


@pytest.fixture
def demarche_admin(instructor, demo_procedures):
    """Alice instructs "action-sociale" and administers its two démarches."""
    for slug in ("aide-chauffage", "changement-adresse"):
        demo_procedures[slug].administrators.add(instructor)
    return instructor

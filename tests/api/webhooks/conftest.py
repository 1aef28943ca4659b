import pytest

from api.webhooks import services
from api.webhooks.models import SUBSCRIBABLE
from tests.support.factories import UserFactory, demo_procedure

from .receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def procedure(db):
    return demo_procedure("aide-chauffage")


@pytest.fixture
def administrator(procedure):
    user = UserFactory(email="admin.demarche@departement.example")
    procedure.administrators.add(user)
    return user


@pytest.fixture
def endpoint(procedure, administrator, receiver):
    return services.endpoint_create(
        procedure=procedure,
        url=receiver.url(),
        events=[value for value, _label in SUBSCRIBABLE],
        user=administrator,
    )

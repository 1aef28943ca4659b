from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def help_centre(db):
    """The demo help centre (pages, roles, workflow), as seed_demo creates it."""
    from cms import demo

    demo.seed(StringIO())
    from cms.models import HomePage

    return HomePage.objects.get(locale__language_code="fr")


@pytest.fixture
def seeded(db):
    """The whole demo: accounts (identity) and help centre."""
    call_command("seed_demo", stdout=StringIO())

import pytest
from django.core.management import call_command
from wagtail.models import Site

from identity.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_demo_accounts(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "usager@guichet.test" in out
    assert User.objects.filter(email__iexact="admin@guichet.test", is_superuser=True).count() == 1
    assert User.objects.filter(email__iexact="instructeur@guichet.test").count() == 1
    assert User.objects.get(email="editeur@guichet.test").groups.filter(name="Éditeurs").exists()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.__class__.__name__ == "HomePage"

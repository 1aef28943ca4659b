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


def test_demo_applicants_cover_the_three_second_factor_channels(capsys, client):
    import re

    import pyotp

    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    secret = re.search(r"usager\.totp@guichet\.test.*secret : ([A-Z2-7]+)", out).group(1)
    assert out.count(secret) == 2  # the same secret both times: idempotent
    assert User.objects.get(email="usager.mobile@guichet.test").verified_phone == "+33600000001"
    assert User.objects.get(email="usager@guichet.test").verified_phone == ""
    from tests.identity.helpers import login_password

    login_password(client, "usager.totp@guichet.test", "Demo-Guichet-2026!")
    response = client.post("/compte/connexion/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/compte/securite/").status_code == 200


def test_demo_staff_open_their_area_with_the_printed_app_secret(capsys, client):
    import re

    import pyotp

    from tests.identity.helpers import login_password

    call_command("seed_demo")
    out = capsys.readouterr().out
    found = re.search(r"admin@guichet\.test\s+\(agent : application TOTP, secret : (\w+)", out)
    login_password(client, "admin@guichet.test", "Demo-Guichet-2026!")
    client.post("/compte/connexion/code/", {"code": pyotp.TOTP(found.group(1)).now()})
    assert client.get("/django-admin/").status_code == 200
    for staff in ("editeur@guichet.test", "moderateur@guichet.test"):
        assert re.search(re.escape(staff) + r"\s+\(agent : application TOTP, secret : ", out)

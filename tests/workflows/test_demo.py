from io import StringIO

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task

from cases.models import Case, CaseMessage
from workflows.flows import HUMAN_NODES

pytestmark = pytest.mark.django_db


def test_seed_demo_spreads_demandes_over_every_state_and_task_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses >= {s for s, _ in Case.Status.choices} - {
        Case.Status.DRAFT,
        Case.Status.SUBMITTED,
    }
    assert Case.objects.exclude(status=Case.Status.DRAFT).count() >= 30
    open_nodes = {
        t.flow_task.name
        for t in Task.objects.filter(flow_task__in=HUMAN_NODES, status__in=["NEW", "ASSIGNED"])
    }
    assert open_nodes == {"check", "decide"}
    assert CaseMessage.objects.filter(files__isnull=False).exists()
    assert "instructeur.eco@guichet.test" in out.getvalue()
    count = Case.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.count() == count


def readme_demo_accounts() -> list[str]:
    """The emails of the README's "Trying it" table (``…`` stands for the demo domain)."""
    import re
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = [line for line in readme.splitlines() if line.startswith("| ")]
    emails = re.findall(r"`([a-z0-9.]+@(?:…|guichet\.test))`", "\n".join(table))
    return [email.replace("…", "guichet.test") for email in emails]


# Where the README sends each kind of account once logged in.
README_DESTINATIONS = {
    "instructeur": "/instruction/",
    "editeur": "/cms-admin/",
    "moderateur": "/cms-admin/",
    "admin": "/django-admin/",
}


def test_every_demo_account_of_the_readme_logs_in_with_its_second_factor(client):
    """Each account of the README logs in through the real login view with the password
    printed by ``seed_demo`` and its second factor (app secret printed, or the code sent
    by email or SMS), then reaches the screen the README points to."""
    import re

    import pyotp
    from allauth.account.models import EmailAddress

    from identity.demo import DEMO_PASSWORD
    from identity.models import User
    from tests.identity.helpers import last_message, login_password, submit_code
    from tests.support.client import CommitClient

    out = StringIO()
    call_command("seed_demo", stdout=out)
    secrets = dict(re.findall(r"(\S+@guichet\.test)\s.*secret : ([A-Z2-7]+)", out.getvalue()))
    accounts = readme_demo_accounts()
    assert len(accounts) == 9, accounts
    for email in accounts:
        user = User.objects.get(email=email)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True).exists(), email
        session = CommitClient()
        response = login_password(session, email, DEMO_PASSWORD)
        assert response.status_code == 302, (email, response.content.decode()[:2000])
        assert response["Location"] == "/compte/connexion/code/", email
        if email in secrets:
            code = pyotp.TOTP(secrets[email]).now()
        elif user.verified_phone:
            code = re.search(r"\b(\d{6})\b", last_message(user.phone, "sms").body_text).group(1)
        else:
            code = re.search(r"\b(\d{6})\b", last_message(email).body_text).group(1)
        response = submit_code(session, code)
        assert response.status_code == 302, email
        assert session.session.get("_auth_user_id") == str(user.pk), email
        destination = next(
            (path for prefix, path in README_DESTINATIONS.items() if email.startswith(prefix)),
            None,
        )
        if destination:
            assert session.get(destination).status_code == 200, (email, destination)

"""Portal pages against a bare Django view, measured in the same run and process.

    .venv/bin/python -m bench.pages [ROUNDS]

Runs on a throw-away SQLite database (or DATABASE_URL) seeded with the demo and with 500
demandes in one space; every page goes through the whole middleware stack with Django's
test client. Prints, per page, the median time per request and its ratio to the bare view.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def _median_ms(client, url, rounds):
    for _ in range(10):  # warm-up: template caches, connections
        client.get(url)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples) * 1000


def _seed():
    from cases import numbers
    from cases.models import Case, CaseEvent, Procedure
    from identity.models import User
    from identity.selectors import space_personal_for

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.create_user("bench@example.fr", "x", first_name="Bench")
    procedure = Procedure.objects.get(slug="changement-adresse")
    cases = Case.objects.bulk_create(
        Case(
            procedure=procedure,
            service_id=procedure.service_id,
            version=procedure.current_version,
            space=space_personal_for(user=user),
            number=numbers.generate(),
            status=Case.Status.IN_INSTRUCTION,
            applicant_email=user.email,
        )
        for _ in range(500)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(case=c, kind=CaseEvent.Kind.SUBMITTED, actor_role=CaseEvent.Role.APPLICANT)
        for c in cases
    )
    return user, cases[0]


def main():
    from django.test.utils import get_runner

    settings.ROOT_URLCONF = "bench.urls"
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        user, case = _seed()
        anonymous, member = Client(), Client()
        member.force_login(user)
        pages = [
            ("bare Django view", anonymous, "/__bench__/bare/"),
            ("healthz", anonymous, "/healthz"),
            ("home page (Wagtail)", anonymous, "/"),
            ("tracking form", anonymous, "/suivre/"),
            ("Mes démarches (500 demandes)", member, "/mes-demarches/"),
            ("activity feed (500 events)", member, "/activite/"),
            ("demande page", member, f"/demandes/{case.number}/"),
        ]
        results = [(name, _median_ms(client, url, ROUNDS)) for name, client, url in pages]
        base = results[0][1]
        print(f"{'page':<32} {'median ms':>10} {'x bare':>8}")
        for name, ms in results:
            print(f"{name:<32} {ms:>10.2f} {ms / base:>8.1f}")
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()

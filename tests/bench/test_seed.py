"""The benchmark's seed (bench/seed.py) and its bare yardstick project (bench/baseline)."""

import subprocess
import sys

import pytest
from django.db import connection

from bench import seed
from cases import counts, numbers
from cases.models import Case, CaseEvent, CaseMessage
from identity.models import Membership, User
from workflows import queue
from workflows.consistency import disagreements, open_nodes
from workflows.flows import OPEN_NODES_BY_STATUS
from workflows.models import CaseProcess

pytestmark = pytest.mark.services("postgres")

SCALE = 300


def _seeded():
    return Case.objects.filter(procedure__slug__startswith="bench-")


@pytest.mark.django_db
def test_seed_writes_demandes_their_timeline_and_a_flow_that_agrees(demo_procedures):
    report = seed.seed_bulk(SCALE, log=lambda *_: None)

    cases = _seeded()
    assert cases.count() == SCALE == report.rows["cases_case"]
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    events = CaseEvent.objects.filter(case__in=cases).count()
    assert 4 * SCALE <= events <= 6 * SCALE  # ≈5 per demande
    assert CaseMessage.objects.filter(case__in=cases).exists()
    # A process for every demande whose instruction started, none for the others.
    started = cases.exclude(status__in=[Case.Status.DRAFT, Case.Status.SUBMITTED])
    assert CaseProcess.objects.filter(case__in=cases).count() == started.count()
    # What the flow has open agrees with every status (manage.py check_instruction).
    assert list(disagreements()) == []
    active = cases.filter(status=Case.Status.IN_INSTRUCTION).first()
    assert set(open_nodes(active)) <= OPEN_NODES_BY_STATUS[Case.Status.IN_INSTRUCTION]
    # The queues' kept copies are rebuilt after the load (ADR 0404).
    seed.rebuild_derived()
    assert queue.stale() == []
    assert counts.drift() == []
    assert cases.filter(next_task_status="NEW").exists()
    # Numbers in the format of cases.numbers, unique; drafts have none.
    drawn = list(cases.exclude(number=None).values_list("number", flat=True))
    assert len(drawn) == len(set(drawn)) == cases.exclude(status=Case.Status.DRAFT).count()
    assert all(numbers.is_valid(number) for number in drawn)
    # One applicant owns a share of them; every account has its personal space.
    owner = User.objects.get(email="usager-1@bench.example")
    assert cases.filter(created_by=owner, space__memberships__user=owner).count() >= SCALE // 3
    bench_users = User.objects.filter(email__endswith="@bench.example")
    assert Membership.objects.filter(user__in=bench_users).count() == bench_users.count()


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_baseline_project_answers_hello_and_a_lookup_on_the_portal_tables(demo_procedures):
    seed.seed_bulk(20, log=lambda *_: None)
    number = _seeded().exclude(number=None).values_list("number", flat=True).first()
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "hello = client.get('/hello')\n"
        f"lookup = client.get('/lookup/{number}')\n"
        "missing = client.get('/lookup/0000000000')\n"
        "print(hello.status_code, lookup.status_code, missing.status_code)\n"
        "print(lookup.content.decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "bench.baseline.settings", "DATABASE_URL": _database_url()},
        cwd=seed.env.ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    statuses, page = done.stdout.split("\n", 1)
    assert statuses == "200 200 404"
    assert f"Demande {number}" in page

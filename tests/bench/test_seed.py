"""The benchmark's seed (bench/seed.py) and its bare yardstick project (bench/baseline)."""

import pytest

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

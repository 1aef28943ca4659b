from io import StringIO

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task

from cases.models import Case, Message
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
    assert Message.objects.filter(files__isnull=False).exists()
    assert "instructeur.eco@guichet.test" in out.getvalue()
    count = Case.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.count() == count

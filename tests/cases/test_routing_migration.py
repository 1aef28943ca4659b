"""The migration that adds ``Case.service`` (ADR 0023) gives every filed demande and every
counter its démarche's service, leaves drafts unrouted, and keeps the counts right."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0016_procedure_filed_by")]
AFTER = [("cases", "0017_routing")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_routes_filed_demandes_to_their_demarches_service():
    old = _migrate(BEFORE)
    try:
        Service = old.get_model("cases", "Service")
        Procedure = old.get_model("cases", "Procedure")
        ProcedureVersion = old.get_model("cases", "ProcedureVersion")
        Case = old.get_model("cases", "Case")
        StatusCount = old.get_model("cases", "StatusCount")
        services = [Service.objects.create(name=f"S{i}", slug=f"s{i}") for i in range(2)]
        filed, drafts = {}, []
        for i, service in enumerate(services):
            procedure = Procedure.objects.create(title=f"P{i}", slug=f"p{i}", service=service)
            version = ProcedureVersion.objects.create(procedure=procedure, number=1, definition=[])
            filed[service.pk] = [
                Case.objects.create(
                    procedure=procedure, version=version, status=status, number=f"N{i}{n}"
                ).pk
                for n, status in enumerate(["submitted", "accepted", "in_instruction"])
            ]
            drafts.append(Case.objects.create(procedure=procedure, version=version).pk)
            StatusCount.objects.create(procedure=procedure, status="accepted", count=1)

        new = _migrate(AFTER)
        Case = new.get_model("cases", "Case")
        StatusCount = new.get_model("cases", "StatusCount")
        for service_id, pks in filed.items():
            assert set(Case.objects.filter(pk__in=pks).values_list("service_id", flat=True)) == {
                service_id
            }
        assert not Case.objects.filter(pk__in=drafts, service__isnull=False).exists()
        assert sorted(StatusCount.objects.values_list("procedure__service_id", "service_id")) == (
            sorted((s.pk, s.pk) for s in services)
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

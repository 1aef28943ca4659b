"""The list of a démarche's demandes reads its index (procedure, updated_at, id) in order:
no sort of the démarche's demandes, whatever their number (ADR 0500). PostgreSQL only;
sequential scans are turned off so that the planner shows what it would do on a big
table rather than on a test's few rows."""

import pytest
from django.db import connection

from api import selectors
from api.views import CasePagination
from tests.support.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services("postgres")]


def test_a_page_of_demandes_is_an_index_range_scan(make_token, demo_procedures):
    CaseFactory(in_instruction=True)
    token, _ = make_token("aide-chauffage")
    queryset = (
        selectors.cases_for_token(token)
        .filter(procedure=demo_procedures["aide-chauffage"])
        .order_by(*CasePagination.ordering)[:51]
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "api_case_procedure_updated_idx" in plan, plan
    assert "Sort" not in plan, plan

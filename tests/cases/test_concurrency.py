"""200 demandes submitted in parallel on PostgreSQL get 200 distinct case numbers."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from cases import numbers, services
from cases.models import Case

pytestmark = [
    pytest.mark.services("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_200_parallel_submissions_get_200_distinct_numbers(demo_procedures):
    procedure = demo_procedures["changement-adresse"]
    answers = {
        "ancienne_adresse": {"street": "1 rue Haute", "postcode": "33000", "city": "Bordeaux"},
        "nouvelle_adresse": {"street": "2 rue Basse", "postcode": "33100", "city": "Bordeaux"},
        "date_demenagement": "2026-10-01",
        "justificatif_domicile__later": True,
    }
    drafts = [
        Case.objects.create(
            procedure=procedure,
            version=procedure.current_version,
            applicant_email=f"usager{i}@example.fr",
            email_verified=True,
            answers=answers,
        )
        for i in range(200)
    ]

    def submit(case):
        try:
            return services.case_submit(case=case, actor=None).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        submitted = list(pool.map(submit, drafts))

    assert len(set(submitted)) == 200
    assert all(numbers.is_valid(n) for n in submitted)
    assert Case.objects.filter(status=Case.Status.SUBMITTED).count() == 200

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from cases.tasks import drafts_expire
from locker import vault
from tests.support.filing import png_upload, start_draft

pytestmark = pytest.mark.django_db


def test_untouched_draft_is_warned_two_weeks_before_and_deleted_after_3_months(
    applicant_client, demo_procedures, mailoutbox, django_capture_on_commit_callbacks, settings
):

    case = start_draft(applicant_client, "aide-chauffage")
    applicant_client.post(f"/demandes/brouillon/{case.pk}/", {"file__piece_identite": png_upload()})
    key = case.files.get().storage_key
    start = timezone.now()

    with time_machine.travel(start + timedelta(days=70)):
        assert drafts_expire() == {"warned": 0, "deleted": 0}
    with (
        time_machine.travel(start + timedelta(days=78)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert drafts_expire() == {"warned": 1, "deleted": 0}
        assert drafts_expire() == {"warned": 0, "deleted": 0}  # warned once only
    assert mailoutbox[-1].to == ["camille.martin@example.fr"]
    assert "sera bientôt supprimé" in mailoutbox[-1].subject

    with (
        time_machine.travel(start + timedelta(days=92)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert drafts_expire() == {"warned": 0, "deleted": 1}
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not vault.stored(key)


def test_touching_a_warned_draft_restarts_the_countdown(
    applicant, applicant_client, demo_procedures
):
    case = start_draft(applicant_client, "changement-adresse")
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=80)):
        assert drafts_expire()["warned"] == 1
        applicant_client.force_login(applicant)  # the earlier session has long expired
        response = applicant_client.post(
            f"/demandes/brouillon/{case.pk}/", {"date_demenagement": "2026-10-01"}
        )
        assert response.status_code == 302
    with time_machine.travel(start + timedelta(days=95)):
        assert drafts_expire() == {"warned": 0, "deleted": 0}
    assert Case.objects.filter(pk=case.pk).exists()


def test_submitted_demandes_are_never_expired(applicant_client, demo_procedures):
    case = start_draft(applicant_client, "changement-adresse")
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.SUBMITTED, service=case.procedure.service
    )
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert drafts_expire() == {"warned": 0, "deleted": 0}

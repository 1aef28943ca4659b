"""Retention of finished demandes (ADR 0406): the end is set at the decision, the applicant
is told two weeks before it and may extend once, then the demande goes to the trash (gone
for the applicant) and is deleted two weeks later with its files; the service keeps a
record without personal data. The purge is idempotent."""

import io
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.files.storage import storages
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, CaseFile, CaseMessage, DeletedCase, PurgeRun
from cases.services.retention import NOTICE_PERIOD, TRASH_PERIOD
from identity.models import Notification
from locker import vault
from locker.models import DataKey
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.instruction import act
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(applicant):
    return CaseFactory(accepted=True, applicant=applicant)


def purge(capture):
    """One purge run, with what runs after each commit (the vault's deletions)."""
    with capture(execute=True):
        return services.retention_purge()


def counts(run: PurgeRun) -> tuple[int, int, int, int]:
    return run.notices_sent, run.trashed, run.deleted, run.errors


def notices(case: Case):
    return Notification.objects.filter(
        recipient=case.applicant_email, subject__contains="sera bientôt supprimée"
    )


def test_the_decision_sets_the_end_and_reopening_clears_it(decided, instructor):
    retention = decided.procedure.retention_months
    assert 1 <= retention <= 60
    assert decided.expires_at == decided.decided_at + relativedelta(months=retention)

    reopened = services.case_reopen(case=decided, actor=instructor)
    assert reopened.status == Case.Status.IN_INSTRUCTION
    assert reopened.expires_at is None
    assert Case.objects.get(pk=decided.pk).expires_at is None


def test_the_notice_is_sent_two_weeks_before_the_end_once(
    decided, django_capture_on_commit_callbacks
):
    with time_machine.travel(decided.expires_at - NOTICE_PERIOD - timedelta(days=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    assert not notices(decided).exists()

    with time_machine.travel(decided.expires_at - NOTICE_PERIOD + timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (1, 0, 0, 0)
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)

    [notice] = notices(decided)
    assert decided.display_number in notice.subject
    assert "?suite=archive" in notice.body_text  # the signed link, going on to the ZIP
    assert "une fois" in notice.body_text  # the extension is offered
    case = Case.objects.get(pk=decided.pk)
    assert case.expiry_notice_sent_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.RETENTION_NOTICE).count() == 1
    run = PurgeRun.objects.order_by("started_at", "pk").last()
    assert run.finished_at is not None


def test_the_emailed_link_opens_the_zip(decided, django_capture_on_commit_callbacks):
    with time_machine.travel(decided.expires_at - NOTICE_PERIOD + timedelta(hours=1)):
        purge(django_capture_on_commit_callbacks)
        [notice] = notices(decided)
        link = urlsplit(next(w for w in notice.body_text.split() if "?suite=archive" in w))
        stranger = Client()  # no account, no session: the signed link alone
        response = stranger.get(f"{link.path}?{link.query}")
        assert response.status_code == 302
        assert response["Location"] == f"/demandes/{decided.number}/archive.zip"
        assert stranger.get(response["Location"]).status_code == 200


def test_the_extension_is_granted_once_from_the_demande_page(
    decided, applicant_client, django_capture_on_commit_callbacks
):
    url = f"/demandes/{decided.number}/"
    end = decided.expires_at
    # Before the notice: no button, and a POST changes nothing.
    assert "Conserver ma demande plus longtemps" not in page_text(applicant_client.get(url))
    applicant_client.post(f"{url}prolonger/")
    assert Case.objects.get(pk=decided.pk).expires_at == end

    with time_machine.travel(end - NOTICE_PERIOD + timedelta(hours=1)):
        purge(django_capture_on_commit_callbacks)
        applicant_client.force_login(decided.created_by)  # months later: a new login
        page = page_text(applicant_client.get(url))
        assert "Conserver ma demande plus longtemps" in page
        assert f"supprimés après le {timezone.localtime(end):%d/%m/%Y}" in page

        response = applicant_client.post(f"{url}prolonger/", follow=True)
        case = Case.objects.get(pk=decided.pk)
        months = decided.procedure.retention_months
        assert case.extended
        assert case.expires_at == end + relativedelta(months=months)
        assert "sera conservée jusqu'au" in page_text(response)
        assert "Conserver ma demande plus longtemps" not in page_text(response)

        second = applicant_client.post(f"{url}prolonger/", follow=True)
        assert "ne peut plus être prolongée" in page_text(second)
        assert Case.objects.get(pk=decided.pk).expires_at == end + relativedelta(months=months)

    # The old end passes: nothing happens; a new notice comes before the new end.
    with time_machine.travel(end + timedelta(days=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    with time_machine.travel(case.expires_at - NOTICE_PERIOD + timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (1, 0, 0, 0)
    assert notices(decided).count() == 2
    assert "une fois" not in notices(decided).order_by("created_at").last().body_text


def test_the_zip_holds_answers_files_receipt_and_decision(
    applicant, applicant_client, instructor, instructor_client
):
    case = CaseFactory(in_instruction=True, taken=True, applicant=applicant, instructor=instructor)
    case.procedure.decision_letter = "Décision : {decision}."
    case.procedure.save()
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted", generate_letter="on")

    response = applicant_client.get(f"/demandes/{case.number}/archive.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert f"Demande/recepisse-{case.number}.pdf" in names
    assert f"Messagerie/courrier-decision-{case.number}.pdf" in names
    for file in CaseFile.objects.filter(case=case, message__isnull=True):
        assert archive.read(f"Pièces jointes/{file.name}") == services.case_file_content(file)
    summary = archive.read("Demande/demande.txt").decode()
    assert case.display_number in summary
    assert "Acceptée" in summary


def test_a_demande_in_instruction_has_no_zip_and_never_expires(
    applicant, applicant_client, django_capture_on_commit_callbacks
):
    case = CaseFactory(in_instruction=True, applicant=applicant)
    assert case.expires_at is None
    response = applicant_client.get(f"/demandes/{case.number}/archive.zip")
    assert response.status_code == 302  # no ZIP before the decision: the demande page
    assert response["Location"] == f"/demandes/{case.number}/"
    with time_machine.travel(timezone.now() + relativedelta(years=10)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    assert Case.objects.get(pk=case.pk).trashed_at is None


def test_trash_then_deletion_with_the_files_gone(
    decided, applicant_client, django_capture_on_commit_callbacks
):
    url = f"/demandes/{decided.number}/"
    number, keys = decided.number, list(decided.files.values_list("storage_key", flat=True))
    assert keys
    assert all(storages[vault.ALIAS].exists(key) for key in keys)
    data_key = decided.data_key_id
    with time_machine.travel(decided.expires_at - NOTICE_PERIOD + timedelta(hours=1)):
        purge(django_capture_on_commit_callbacks)

    # The end passes: the trash. Gone for the applicant, the files still stored.
    with time_machine.travel(decided.expires_at + timedelta(days=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 1, 0, 0)
        applicant_client.force_login(decided.created_by)  # months later: a new login
        assert "Mes démarches" in page_text(applicant_client.get("/mes-demarches/"))
        assert applicant_client.get(url).status_code == 404
        assert applicant_client.get(f"{url}archive.zip").status_code == 404
        assert number not in page_text(applicant_client.get("/mes-demarches/?onglet=terminees"))
        assert all(storages[vault.ALIAS].exists(key) for key in keys)

    trashed_at = Case.objects.get(pk=decided.pk).trashed_at
    with time_machine.travel(trashed_at + TRASH_PERIOD - timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    with time_machine.travel(trashed_at + TRASH_PERIOD + timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 1, 0)
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)

    assert not Case.objects.filter(pk=decided.pk).exists()
    assert not CaseFile.objects.filter(storage_key__in=keys).exists()
    assert not CaseEvent.objects.filter(case_id=decided.pk).exists()
    assert not CaseMessage.objects.filter(case_id=decided.pk).exists()
    assert not CaseProcess.objects.filter(case_id=decided.pk).exists()
    assert not DataKey.objects.filter(pk=data_key).exists()
    for key in keys:  # the raw objects, asked of the storage itself
        assert not storages[vault.ALIAS].exists(key)
    record = DeletedCase.objects.get(number=number)
    assert record.procedure == decided.procedure
    assert record.procedure_title == decided.procedure.title
    assert record.service == decided.procedure.service
    assert record.status == Case.Status.ACCEPTED
    assert record.submitted_at == decided.submitted_at
    assert record.decided_at == decided.decided_at
    # No personal data: only these columns, none naming a person.
    columns = {field.attname for field in DeletedCase._meta.concrete_fields}
    assert columns == {
        "id",
        "number",
        "procedure_id",
        "procedure_title",
        "service_id",
        "status",
        "submitted_at",
        "decided_at",
        "deleted_at",
    }
    assert decided.applicant_email not in str(DeletedCase.objects.values().get())


def test_the_trash_waits_for_a_full_notice_period(decided, django_capture_on_commit_callbacks):
    """A notice sent late (the purge did not run) still leaves two weeks before the trash."""
    late = decided.expires_at + timedelta(days=3)
    with time_machine.travel(late):
        assert counts(purge(django_capture_on_commit_callbacks)) == (1, 0, 0, 0)
    with time_machine.travel(late + NOTICE_PERIOD - timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    with time_machine.travel(late + NOTICE_PERIOD + timedelta(hours=1)):
        assert counts(purge(django_capture_on_commit_callbacks)) == (0, 1, 0, 0)


def test_one_run_does_all_that_is_due_and_a_second_does_nothing(
    applicant, django_capture_on_commit_callbacks
):
    """Far past every date, one run sends the notices; the trash and the deletion each
    wait their two weeks; each second run finds nothing to do."""
    cases = [CaseFactory(accepted=True, applicant=applicant) for _ in range(2)]
    cases.append(CaseFactory(refused=True, applicant=applicant))
    end = max(c.expires_at for c in cases)
    steps = [
        (end, (3, 0, 0, 0)),
        (end + NOTICE_PERIOD + timedelta(hours=1), (0, 3, 0, 0)),
        (end + NOTICE_PERIOD + TRASH_PERIOD + timedelta(hours=2), (0, 0, 3, 0)),
    ]
    for moment, expected in steps:
        with time_machine.travel(moment):
            assert counts(purge(django_capture_on_commit_callbacks)) == expected
            assert counts(purge(django_capture_on_commit_callbacks)) == (0, 0, 0, 0)
    assert not Case.objects.filter(pk__in=[c.pk for c in cases]).exists()
    assert DeletedCase.objects.count() == 3


def test_the_purge_runs_in_the_beat():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["retention-purge"]["task"] == (
        "cases.tasks.retention_purge"
    )


def test_the_runs_and_records_are_read_only_in_the_admin(
    decided, django_capture_on_commit_callbacks
):
    from identity.models import User
    from tests.support.client import force_app_login

    with time_machine.travel(decided.expires_at - NOTICE_PERIOD + timedelta(hours=1)):
        purge(django_capture_on_commit_callbacks)
    admin = Client()
    force_app_login(admin, User.objects.create_superuser("admin@example.fr", "x"))

    runs = admin.get("/django-admin/cases/purgerun/")
    assert runs.status_code == 200
    [run] = runs.context["cl"].result_list
    assert run.notices_sent == 1
    assert admin.get("/django-admin/cases/purgerun/add/").status_code == 403
    assert admin.get("/django-admin/cases/deletedcase/").status_code == 200

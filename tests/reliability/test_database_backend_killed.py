"""A PostgreSQL backend terminated in the middle of a submission (``pg_terminate_backend``
from a second connection; the server itself keeps running): the person gets the portal's
error page, nothing is half-written, and the submission succeeds when made again.

To stop the request in its middle, the test's own connection holds a lock on a table the
request writes to late (``LOCK TABLE … IN SHARE MODE``); the request waits there with its
earlier writes made, and that waiting backend is the one terminated.
"""

import threading

import psycopg
import pytest
from django.core.files.storage import storages
from django.db import connection

from cases.models import Case, CaseEvent, CaseFile
from identity.models import Notification
from locker import vault
from tests.support.files import pdf_bytes
from tests.support.filing import ACTIVITY_ANSWERS
from tests.support.http import Visitor
from tests.support.services import database_url, wait_until

pytestmark = [
    pytest.mark.services("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Cutter:
    """Two connections of the test's own: one holds a table lock, the other finds the
    backend waiting on it, says what that backend has written, and terminates it."""

    def __init__(self):
        url = database_url(connection.settings_dict)
        self.holder = psycopg.connect(url)
        self.watcher = psycopg.connect(url, autocommit=True)

    def lock(self, table: str) -> None:
        self.holder.execute(f"LOCK TABLE {table} IN SHARE MODE")

    def waiting_backend(self, statement: str) -> int | None:
        row = self.watcher.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE %s = ANY(pg_blocking_pids(pid)) AND query LIKE %s",
            [self.holder.info.backend_pid, f"{statement}%"],
        ).fetchone()
        return row[0] if row else None

    def tables_written(self, pid: int) -> set[str]:
        rows = self.watcher.execute(
            "SELECT relation::regclass::text FROM pg_locks"
            " WHERE pid = %s AND mode = 'RowExclusiveLock' AND granted",
            [pid],
        ).fetchall()
        return {name for (name,) in rows}

    def terminate(self, pid: int) -> None:
        assert self.watcher.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]

    def close(self) -> None:
        self.holder.close()  # its transaction, and the lock, end with it
        self.watcher.close()


@pytest.fixture
def cutter():
    cut = Cutter()
    yield cut
    cut.close()


@pytest.fixture
def visitor(gunicorn, applicant, demo_procedures):
    """The applicant's browser, signed in, on gunicorn."""
    from django.test import Client

    client = Client()
    client.force_login(applicant)
    return Visitor(gunicorn.url).use_session_of(client)


def kbis():
    return {"file__kbis": ("kbis.pdf", pdf_bytes(), "application/pdf")}


def start_draft(visitor) -> Case:
    response = visitor.post("/demarches/declaration-activite/commencer/")
    assert response.status_code == 302, response.text[:2000]
    return Case.objects.get(pk=response.headers["Location"].rstrip("/").split("/")[-1])


def save_draft(visitor, case: Case, files=None):
    data = {**ACTIVITY_ANSWERS, "review": "1"}
    return visitor.post(f"/demandes/brouillon/{case.pk}/", data, files=files)


def submit(visitor, case: Case):
    return visitor.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})


def cut_in_the_middle(cutter, *, table: str, statement: str, request) -> tuple:
    """Run ``request`` (in a thread) until it waits on ``table``, then terminate its
    backend. Returns (its response, the tables it had written to)."""
    cutter.lock(table)
    answer = {}
    thread = threading.Thread(target=lambda: answer.setdefault("response", request()))
    thread.start()
    pid = wait_until(lambda: cutter.waiting_backend(statement), message="the request to wait")
    written = cutter.tables_written(pid)
    cutter.terminate(pid)
    thread.join(timeout=60)
    cutter.holder.rollback()  # the lock goes
    return answer["response"], written


def assert_error_page(response) -> None:
    assert response.status_code == 500
    assert "Erreur inattendue" in response.text
    assert "Réessayez dans quelques minutes" in response.text
    for leak in ("Traceback", "psycopg", "OperationalError", "terminating connection"):
        assert leak not in response.text


def stored_objects(case: Case) -> set[str]:
    try:
        _folders, names = storages["private"].listdir(f"cases/{case.pk}")
    except FileNotFoundError:
        return set()
    return {f"cases/{case.pk}/{name}" for name in names}


def test_a_submission_cut_by_a_terminated_backend_leaves_the_draft_whole(
    cutter, visitor, applicant, smtp_server
):
    case = start_draft(visitor)
    assert save_draft(visitor, case, files=kbis()).status_code == 302
    files_before = set(case.files.values_list("storage_key", flat=True))
    assert len(files_before) == 1

    response, written = cut_in_the_middle(
        cutter,
        table="identity_notification",
        statement='INSERT INTO "identity_notification"',
        request=lambda: submit(visitor, case),
    )

    # It was cut after the number, the status and the timeline event were written …
    assert {"cases_case", "cases_caseevent"} <= written
    assert_error_page(response)
    # … and none of it stayed.
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
    assert not case.number
    assert not case.events.filter(kind=CaseEvent.Kind.SUBMITTED).exists()
    assert not Notification.objects.filter(recipient=applicant.email).exists()
    assert set(case.files.values_list("storage_key", flat=True)) == files_before
    assert stored_objects(case) == files_before

    # The applicant submits again: it works, and the acknowledgement comes once.
    response = submit(visitor, case)
    assert response.status_code == 302
    case.refresh_from_db()
    assert response.headers["Location"] == f"/demandes/{case.number}/deposee/"
    assert case.status == Case.Status.IN_INSTRUCTION
    assert case.events.filter(kind=CaseEvent.Kind.SUBMITTED).count() == 1
    acknowledgement = Notification.objects.filter(
        recipient=applicant.email, subject__contains=case.display_number
    ).filter(subject__contains="bien enregistrée")
    wait_until(
        lambda: acknowledgement.filter(status=Notification.Status.SENT).exists(),
        timeout=60,
        message="the acknowledgement to be sent",
    )
    received = smtp_server.received(  # the session's sink: earlier tests wrote to it too
        lambda m: case.display_number in m["Subject"] and "bien enregistrée" in m["Subject"]
    )
    assert len(received) == 1
    assert received[0]["To"] == applicant.email


def test_an_upload_cut_by_a_terminated_backend_leaves_no_file_behind(cutter, visitor, applicant):
    case = start_draft(visitor)

    response, _written = cut_in_the_middle(
        cutter,
        table="cases_casefile",
        statement='INSERT INTO "cases_casefile"',
        request=lambda: save_draft(visitor, case, files=kbis()),
    )

    assert_error_page(response)
    case.refresh_from_db()
    assert case.answers["raison_sociale"] == ACTIVITY_ANSWERS["raison_sociale"]  # kept
    assert not CaseFile.objects.filter(case=case).exists()
    # The bytes were stored before the row was cut: the orphan sweep (a periodic job,
    # ADR 0104) removes them, and nothing a row points at.
    assert len(stored_objects(case)) == 1
    assert vault.sweep(older_than_seconds=0) == 1
    assert stored_objects(case) == set()

    # The applicant sends the file again and submits.
    assert save_draft(visitor, case, files=kbis()).status_code == 302
    (kept,) = case.files.values_list("storage_key", flat=True)
    assert stored_objects(case) == {kept}
    assert submit(visitor, case).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION

"""Load: simulated people for a minute against gunicorn, with the real Celery worker and
the aiosmtpd sink (tests/reliability/load.py says who does what).

Zero 5xx, every step answered as a person expects, every email owed received exactly once
(and no other), every case number unique. The figures (requests and latency percentiles
by kind, notifications owed, written and received) go to ``<var>/reliability/load.json``
and ``load.md`` and are printed at the end of the run. ``GUICHET_LOAD_USERS`` (50) and
``GUICHET_LOAD_SECONDS`` (60) set the size.
"""

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from cases.models import Procedure
from identity.models import Notification, User
from tests.identity.helpers import PASSWORD, make_active_user
from tests.reliability.load import (
    PROCEDURE,
    REPORT_DIR,
    Applicant,
    Instructor,
    Scenario,
    subject_of,
    write_report,
)
from tests.support.client import force_app_login
from tests.support.factories import CaseFactory
from tests.support.filing import ACTIVITY_ANSWERS
from tests.support.instruction import make_instructor
from tests.support.services import wait_until

pytestmark = [
    pytest.mark.services("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

USERS = int(os.environ.get("GUICHET_LOAD_USERS", "50"))
SECONDS = float(os.environ.get("GUICHET_LOAD_SECONDS", "60"))
DOMAIN = "charge.example"


def people(scenario: Scenario) -> list:
    """Four applicants for one instructor, as many people as USERS; each applicant's
    demandes are instructed by one instructor. Each instructor's first applicant has a
    demande under way when the load starts: the instructor asked a question, the answer is
    due (the service's backlog: decisions come within the minute)."""
    instructors = []
    for index in range(scenario.instructors):
        user = make_instructor(
            f"instructeur{index}@{DOMAIN}", "Instructeur", str(index), "developpement-economique"
        )
        client = Client()
        force_app_login(client, user)
        visitor = scenario.visitor(index).use_session_of(client)
        instructors.append(Instructor(scenario, user, visitor))
    applicants = []
    for index in range(scenario.instructors, USERS):
        user = make_active_user(f"usager{index}@{DOMAIN}", first_name="Usager", last_name="Test")
        instructor = instructors[index % len(instructors)]
        applicant = Applicant(scenario, user.email, scenario.visitor(index), instructor.email)
        if not instructor.applicants:
            backlog = CaseFactory(
                awaiting_applicant=True,
                procedure=Procedure.objects.get(slug=PROCEDURE),
                applicant=user,
                answers=ACTIVITY_ANSWERS,
                instructor=User.objects.get(pk=instructor.user_id),
            )
            applicant.cases.append(backlog.number)
            applicant.question_about(backlog.number)
        instructor.applicants.add(user.email)
        applicants.append(applicant)
    return instructors + applicants


def test_the_portal_under_load_answers_and_loses_no_notification(
    gunicorn, smtp_server, demo_procedures
):
    scenario = Scenario(
        base_url=gunicorn.url,
        sink=smtp_server,
        password=PASSWORD,
        instructors=max(1, USERS // 5),
        deadline=0.0,
    )
    crowd = people(scenario)
    figures = scenario.figures
    ours = Notification.objects.filter(recipient__endswith=f"@{DOMAIN}")
    backlog = {str(pk) for pk in ours.values_list("pk", flat=True)}  # emails of the backlog

    def live(person) -> None:
        try:
            person.run()
        except Exception as error:  # a step that could not go on: counted, never hidden
            figures.fail(f"{person.email}: {error!r}")

    started = time.monotonic()
    scenario.deadline = started + SECONDS
    with ThreadPoolExecutor(max_workers=len(crowd)) as pool:
        for future in [pool.submit(live, person) for person in crowd]:
            future.result()
    elapsed = time.monotonic() - started

    # Every email written to the outbox for these people is sent …
    wait_until(
        lambda: not ours.exclude(status=Notification.Status.SENT).exists(),
        timeout=120,
        message="the worker to empty the outbox",
    )
    time.sleep(2)  # room for a late duplicate
    outbox = ours.exclude(pk__in=backlog)
    received = smtp_server.received(
        lambda m: str(m["To"]).endswith(f"@{DOMAIN}") and m["X-Guichet-Notification"] not in backlog
    )
    by_notification = Counter(m["X-Guichet-Notification"] for m in received)
    owed = Counter()
    for (recipient, event, number), count in figures.owed.items():
        owed[(recipient, subject_of(event, number))] += count
    got = Counter((str(m["To"]), str(m["Subject"])) for m in received)

    report = figures.report(
        users=len(crowd),
        seconds=elapsed,
        emails={
            "owed": sum(owed.values()),
            "written": outbox.count(),
            "received": len(received),
            "received_twice": sum(1 for n in by_notification.values() if n > 1),
        },
    )
    write_report(report, REPORT_DIR)  # printed at the end of the run (conftest)

    assert figures.server_errors() == 0
    assert figures.no_answer() == 0
    assert figures.failures == []
    assert len(set(figures.numbers)) == len(figures.numbers)
    assert set(by_notification) == {str(pk) for pk in outbox.values_list("pk", flat=True)}
    assert max(by_notification.values()) == 1
    assert got == owed
    # Enough happened for the figures to mean something.
    assert figures.actions["file"] >= len(crowd) - scenario.instructors
    assert figures.actions["reply"] >= 1
    assert figures.actions["decide"] >= 1

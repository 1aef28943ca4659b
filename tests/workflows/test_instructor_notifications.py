"""Instructors' notifications (issue 15 §4, ADR 0407): which events mail each instructor
and how, one email per event whatever the number of services, digests per day or week,
and the absence that silences the emails and hands the demandes to a colleague."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, CaseEvent, Service
from tests.support.client import page_text
from tests.support.factories import CaseFactory, demo_procedure
from tests.support.filing import ACTIVITY_ANSWERS
from tests.support.instruction import human_task, login
from workflows.digest import digests_send
from workflows.models import InstructorPreferences
from workflows.notifications import deadline_alerts_send, preferences_of

PAGE = "/instruction/preferences/"
PARIS = dt.timezone(dt.timedelta(hours=1))


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def save_preferences(client, **fields):
    data = {"new_case": "daily", "reply": "immediate", "deadline": "daily", **fields}
    response = client.post(PAGE, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, page_text(response)
    return response


@pytest.fixture
def two_services(instructor):
    """Alice instructs both the social and the economic services."""
    Service.objects.get(slug="developpement-economique").instructors.add(instructor)
    return instructor


def activity_case(**traits):
    return CaseFactory(
        procedure=demo_procedure("declaration-activite"), answers=dict(ACTIVITY_ANSWERS), **traits
    )


def test_defaults_are_shown_and_nothing_is_stored_until_saved(instructor):
    preferences = preferences_of(instructor)
    assert (preferences.new_case, preferences.reply, preferences.deadline) == (
        "daily",
        "immediate",
        "daily",
    )
    assert preferences.pk is None
    client = login(instructor)
    assert "Mes préférences de notification" in page_text(client.get("/instruction/"))
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    for name, value in (("new_case", "daily"), ("reply", "immediate"), ("deadline", "daily")):
        assert re.search(rf'name="{name}" value="{value}"[^>]*checked', html), name
    assert not InstructorPreferences.objects.exists()


def test_the_page_is_refused_to_a_non_instructor(applicant_client):
    assert applicant_client.get(PAGE).status_code == 404
    assert applicant_client.post(PAGE, {"new_case": "never"}).status_code == 404
    assert not InstructorPreferences.objects.exists()


def test_the_form_saves_and_checks_the_colleague(instructor, colleague, other_instructor):
    client = login(instructor)
    save_preferences(client, new_case="weekly", reply="never", deadline="immediate")
    saved = InstructorPreferences.objects.get(user=instructor)
    assert (saved.new_case, saved.reply, saved.deadline) == ("weekly", "never", "immediate")
    assert "Vos préférences sont enregistrées." in page_text(client.get(PAGE))
    # Only a colleague of the same services can take over; an absence needs its end date.
    page = page_text(client.get(PAGE))
    assert "Bruno Petit" in page
    assert "Chloé Morel" not in page
    response = client.post(
        PAGE,
        {"new_case": "daily", "reply": "daily", "deadline": "daily", "delegate": colleague.pk},
    )
    assert response.status_code == 200
    assert "Indiquez jusqu'à quand vous êtes absent." in page_text(response)
    response = client.post(
        PAGE,
        {
            "new_case": "daily",
            "reply": "daily",
            "deadline": "daily",
            "paused_until": "2020-01-01",
        },
    )
    assert "La date de fin d'absence est déjà passée." in page_text(response)
    saved.refresh_from_db()
    assert saved.paused_until is None


def test_one_email_for_one_new_demande_whatever_the_services(
    two_services, colleague, django_capture_on_commit_callbacks
):
    save_preferences(login(two_services), new_case="immediate")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(in_instruction=True)
    mine = mails_to(two_services)
    assert len(mine) == 1
    assert mine[0].subject.startswith(f"Nouvelle demande {case.display_number}")
    assert f"/instruction/demandes/{case.number}/" in mine[0].body
    assert mails_to(colleague) == []  # Bruno kept the daily digest


def test_one_digest_for_a_day_across_both_services(
    two_services, other_instructor, django_capture_on_commit_callbacks
):
    CaseFactory(in_instruction=True)
    activity_case(in_instruction=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() >= 2  # Alice and Chloé (and the demo's instructor)
        assert digests_send() == 0  # once a day
    mine = mails_to(two_services)
    assert len(mine) == 1
    assert "2 nouvelles demandes sont à traiter" in mine[0].body
    assert "1 nouvelle demande est à traiter" in mails_to(other_instructor)[0].body


def test_never_sends_nothing(instructor, django_capture_on_commit_callbacks):
    save_preferences(login(instructor), new_case="never", reply="never", deadline="never")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(awaiting_applicant=True, instructor=instructor)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.message_post(
            case=case, author=case.created_by, role=CaseEvent.Role.APPLICANT, body="Voici."
        )
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    assert mails_to(instructor) == []


def test_a_near_deadline_mails_the_holder_once_at_once(
    instructor, django_capture_on_commit_callbacks
):
    save_preferences(login(instructor), deadline="immediate")
    near = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    far = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    now = timezone.now()
    # Test set-up only: in the application the transitions write the deadline.
    Case.objects.filter(pk=near.pk).update(deadline_at=now + dt.timedelta(days=3))
    Case.objects.filter(pk=far.pk).update(deadline_at=now + dt.timedelta(days=20))
    mail.outbox.clear()
    for _run in range(2):  # the hourly job runs again: the alert is not repeated
        with django_capture_on_commit_callbacks(execute=True):
            deadline_alerts_send(now)
    subjects = [m.subject for m in mails_to(instructor)]
    assert len(subjects) == 1
    assert subjects[0].startswith(f"Demande {near.display_number} : décision implicite le ")


def test_the_applicant_reply_mails_the_instructor_who_asked_and_nobody_else(
    instructor, colleague, django_capture_on_commit_callbacks
):
    """Alice asked the question; the reply reopens the demande in the service's pool, yet
    only Alice hears of it (Bruno, of the same service, does not)."""
    case = CaseFactory(awaiting_applicant=True, instructor=instructor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.message_post(
            case=case, author=case.created_by, role=CaseEvent.Role.APPLICANT, body="Voici."
        )
    subject = f"Demande {case.display_number} : l'usager a répondu"
    assert [m.subject for m in mails_to(instructor)] == [subject]
    assert mails_to(colleague) == []


def test_a_reply_on_a_demande_nobody_has_held_mails_its_service(
    instructor, colleague, django_capture_on_commit_callbacks
):
    # The tax notice left for later: the service asked for it automatically, nobody held it.
    case = CaseFactory(awaiting_applicant=True, deferred=True)
    assert human_task(case) is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.message_post(
            case=case, author=case.created_by, role=CaseEvent.Role.APPLICANT, body="Voici."
        )
    subject = f"Demande {case.display_number} : l'usager a répondu"
    for user in (instructor, colleague):
        assert [m.subject for m in mails_to(user)] == [subject]


def test_weekly_digest_once_per_week(instructor, django_capture_on_commit_callbacks):
    """The hourly job sends the weekly digest at its first run of the week, once."""
    save_preferences(login(instructor), new_case="weekly")
    monday = dt.datetime(2026, 11, 2, 0, 30, tzinfo=PARIS)
    with time_machine.travel(monday - dt.timedelta(hours=14), tick=False):
        CaseFactory(in_instruction=True)  # Sunday
    mail.outbox.clear()
    for hour in range(0, 7 * 24, 5):  # a week of the hourly job, sampled
        with (
            time_machine.travel(monday + dt.timedelta(hours=hour), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            if hour == 75:
                CaseFactory(in_instruction=True)  # Thursday
            digests_send()
    with (
        time_machine.travel(monday + dt.timedelta(days=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        digests_send()
    mine = mails_to(instructor)
    assert [m.subject for m in mine] == [
        "Instruction : votre résumé de la semaine du 02/11/2026",
        "Instruction : votre résumé de la semaine du 09/11/2026",
    ]
    assert "1 nouvelle demande est à traiter" in mine[0].body
    assert "1 nouvelle demande est à traiter" in mine[1].body


def test_an_absence_hands_the_demandes_over_and_silences_the_emails(
    instructor, colleague, django_capture_on_commit_callbacks
):
    case = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    assert Case.objects.get(pk=case.pk).next_task_owner == instructor
    client = login(instructor)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = save_preferences(
        client, new_case="immediate", paused_until=tomorrow, delegate=colleague.pk
    )
    assert "1 dossier confié à Bruno Petit." in page_text(client.get(response.url))
    task = human_task(case)
    assert task.owner == colleague
    assert Case.objects.get(pk=case.pk).next_task_owner == colleague  # the queue's copy
    assert case.display_number in page_text(
        login(colleague).get("/instruction/?onglet=mes_dossiers")
    )
    # While away: no email at once nor in a digest; work given to Alice goes to Bruno.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = CaseFactory(in_instruction=True)
        digests_send()
    assert mails_to(instructor) == []
    assert len(mails_to(colleague)) == 1  # Bruno's daily digest
    from workflows import services

    services.task_assign(task=human_task(second), user=colleague, to=instructor)
    assert human_task(second).owner == colleague

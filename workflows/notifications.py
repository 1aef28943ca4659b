"""Instructors' emails about the instruction, as each instructor chose (ADR 0407).

Three kinds of event: a new demande in one of my services (``new_case``), the applicant's
reply on a demande I hold (``reply``) and a demande nearing its implicit-decision deadline
(``deadline``). Each instructor says for each kind: at once, in the daily digest, in the
weekly digest, or never. Emails are addressed per person: one email per event whatever the
number of services the person shares with the demande, and none while they are away.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task

from cases.models import Case
from identity.models import Notification, User
from identity.services import notification_enqueue

from .flows import HUMAN_NODES
from .models import InstructorPreferences

Frequency = InstructorPreferences.Frequency

# The subject of the email that tells the holder of a demande the applicant replied.
REPLY_SUBJECT = gettext_lazy("Demande %(number)s : l'usager a répondu")

# A running deadline this close is "near" (the « Bientôt échues » tab lists all of them).
DEADLINE_NEAR_DAYS = 7


def preferences_of(user: User) -> InstructorPreferences:
    """The user's preferences; the defaults (not saved) until they change them."""
    try:
        return user.instructor_preferences
    except InstructorPreferences.DoesNotExist:
        return InstructorPreferences(user=user)


def _service_instructors(case: Case):
    return User.objects.filter(instruction_services=case.service_id, is_active=True).distinct()


def _follower():
    """The instructor who follows a demande: whoever holds its open task, else whoever last
    held one (the instructor who asked the applicant a question gets the reply)."""
    last_holder = (
        Task.objects.filter(
            process__caseprocess__case=OuterRef("pk"),
            flow_task__in=HUMAN_NODES,
            owner__isnull=False,
        )
        .order_by("-created")
        .values("owner_id")[:1]
    )
    return Coalesce(
        F("next_task_owner"), Subquery(last_holder), output_field=models.BigIntegerField()
    )


def concerning(cases, user: User):
    """The demandes among ``cases`` whose replies and deadlines concern the user: those
    they follow, and those nobody has followed yet in their services (see ``recipients``)."""
    return cases.annotate(follower=_follower()).filter(
        Q(follower=user.pk) | Q(follower__isnull=True, service__instructors=user)
    )


def recipients(case: Case, kind: str) -> list[User]:
    """Who an event on this demande concerns, each person once. A new demande concerns its
    service; a reply or a near deadline concerns the instructor who follows the demande, or
    the service while nobody has."""
    if kind != "new_case":
        follower_id = (
            Case.objects.filter(pk=case.pk).annotate(follower=_follower()).values("follower")
        )[0]["follower"]
        if follower_id is not None:
            return list(User.objects.filter(pk=follower_id, is_active=True))
    return list(_service_instructors(case).select_related("instructor_preferences"))


def wants(user: User, kind: str, frequency: str, *, day) -> bool:
    preferences = preferences_of(user)
    return (
        bool(user.email)
        and not preferences.is_paused(day)
        and getattr(preferences, kind) == frequency
    )


def _event_mail(case: Case, kind: str) -> tuple[str, str]:
    number = case.display_number
    if kind == "new_case":
        subject = _("Nouvelle demande %(number)s : %(procedure)s") % {
            "number": number,
            "procedure": case.procedure.title,
        }
        line = _("Une nouvelle demande est à traiter dans votre service.")
    elif kind == "reply":
        subject = str(REPLY_SUBJECT) % {"number": number}
        line = _("L'usager a répondu sur une demande que vous suivez.")
    else:
        day = date_format(timezone.localtime(case.deadline_at), "SHORT_DATE_FORMAT")
        subject = _("Demande %(number)s : décision implicite le %(day)s") % {
            "number": number,
            "day": day,
        }
        line = _(
            "Sans décision de votre part, cette demande sera décidée implicitement le %(day)s."
        ) % {"day": day}
    link = settings.GUICHET_SITE_URL + reverse("workflows:case", args=[case.number])
    body = render_to_string(
        "workflows/email/instructor_event.txt", {"line": line, "number": number, "link": link}
    )
    return subject, body


def event_notify(*, case: Case, kind: str, now=None) -> int:
    """Email, at once, the instructors the event concerns who chose "at once"; returns how
    many. A deadline alert goes once per demande and deadline date (safe to run twice)."""
    day = timezone.localdate(now or timezone.now())
    sent = 0
    for user in recipients(case, kind):
        if not wants(user, kind, Frequency.IMMEDIATE, day=day):
            continue
        subject, body = _event_mail(case, kind)
        if (
            kind == "deadline"
            and Notification.objects.filter(recipient=user.email, subject=subject).exists()
        ):
            continue
        with transaction.atomic():
            notification_enqueue(
                channel=Notification.Channel.EMAIL,
                recipient=user.email,
                subject=subject,
                body_text=body,
            )
        sent += 1
    return sent


def near_deadlines(now):
    """Demandes in instruction whose running deadline falls within ``DEADLINE_NEAR_DAYS``."""
    return Case.objects.filter(
        status=Case.Status.IN_INSTRUCTION,
        deadline_suspended_at__isnull=True,
        deadline_at__gt=now,
        deadline_at__lte=now + timedelta(days=DEADLINE_NEAR_DAYS),
    )


def deadline_alerts_send(now=None) -> int:
    """The "at once" alerts of near deadlines (the hourly digest job runs it)."""
    now = now or timezone.now()
    return sum(
        event_notify(case=case, kind="deadline", now=now)
        for case in near_deadlines(now).select_related("procedure")
    )

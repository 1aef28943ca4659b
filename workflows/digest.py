"""The digests: one email per instructor and period (day or week) with the events of the
kinds they chose for that period, across all their services — one mail, not one per event
nor one per service (ADR 0407). The beat job runs hourly; each digest goes once a period."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent
from identity.models import Notification, User
from identity.services import notification_enqueue

from .flows import HUMAN_NODES
from .models import InstructorPreferences
from .notifications import DEADLINE_NEAR_DAYS, Frequency, concerning, near_deadlines, wants

EVENTS = InstructorPreferences.EVENTS


def _subject(frequency: str, day) -> str:
    if frequency == Frequency.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return _("Instruction : votre résumé de la semaine du %(day)s") % {
            "day": date_format(monday, "SHORT_DATE_FORMAT")
        }
    return _("Instruction : votre résumé du %(day)s") % {
        "day": date_format(day, "SHORT_DATE_FORMAT")
    }


def _counts(user: User, kinds, *, since, now) -> dict:
    """How many events of each chosen kind concern the user; None for the kinds not chosen."""
    counts = dict.fromkeys(("new_tasks", "replies", "deadlines"))
    if "new_case" in kinds:
        counts["new_tasks"] = (
            Task.objects.filter(
                flow_task__in=HUMAN_NODES,
                status=STATUS.NEW,
                created__gte=since,
                process__caseprocess__case__service__instructors=user,
            )
            .values("process__caseprocess__case__number")
            .distinct()
            .count()
        )
    if "reply" in kinds:
        counts["replies"] = (
            CaseEvent.objects.filter(
                kind=CaseEvent.Kind.MESSAGE,
                actor_role=CaseEvent.Role.APPLICANT,
                created_at__gte=since,
                case__in=concerning(Case.objects.all(), user).values("pk"),
            )
            .values("case")
            .distinct()
            .count()
        )
    if "deadline" in kinds:
        counts["deadlines"] = concerning(near_deadlines(now), user).distinct().count()
    return counts


def _period_send(frequency: str, now) -> int:
    day = timezone.localdate(now)
    since = now - timedelta(days=7 if frequency == Frequency.WEEKLY else 1)
    subject = _subject(frequency, day)
    sent = 0
    instructors = (
        User.objects.filter(instruction_services__isnull=False, is_active=True)
        .select_related("instructor_preferences")
        .distinct()
    )
    for user in instructors:
        kinds = [kind for kind in EVENTS if wants(user, kind, frequency, day=day)]
        if not kinds:
            continue
        if Notification.objects.filter(recipient=user.email, subject=subject).exists():
            continue
        counts = _counts(user, kinds, since=since, now=now)
        if not any(counts.values()):
            continue
        context = {
            **counts,
            "user": user,
            "weekly": frequency == Frequency.WEEKLY,
            "near_days": DEADLINE_NEAR_DAYS,
            "link": f"{settings.GUICHET_SITE_URL}/instruction/",
        }
        with transaction.atomic():
            notification_enqueue(
                channel=Notification.Channel.EMAIL,
                recipient=user.email,
                subject=subject,
                body_text=render_to_string("workflows/email/digest.txt", context),
            )
        sent += 1
    return sent


def digests_send(now=None) -> int:
    """Enqueue the day's and the week's digests not sent yet; returns how many went."""
    now = now or timezone.now()
    return _period_send(Frequency.DAILY, now) + _period_send(Frequency.WEEKLY, now)

"""The daily digest: one email per instructor with the new tasks and the replies received
in their services over the last day — one mail, not one per event."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import CaseEvent
from identity.models import Notification, User
from identity.services import notification_enqueue

from .flows import HUMAN_NODES


def _subject(day) -> str:
    return _("Instruction : votre résumé du %(day)s") % {
        "day": date_format(day, "SHORT_DATE_FORMAT")
    }


def digests_send(now=None) -> int:
    """Enqueue today's digest for every instructor with something new; idempotent per day."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    subject = _subject(timezone.localdate(now))
    sent = 0
    for user in User.objects.filter(instruction_services__isnull=False, is_active=True).distinct():
        if Notification.objects.filter(recipient=user.email, subject=subject).exists():
            continue
        new_tasks = (
            Task.objects.filter(
                flow_task__in=HUMAN_NODES,
                status=STATUS.NEW,
                created__gte=since,
                process__caseprocess__case__procedure__service__instructors=user,
            )
            .values("process__caseprocess__case__number")
            .distinct()
            .count()
        )
        replies = (
            CaseEvent.objects.filter(
                kind=CaseEvent.Kind.MESSAGE,
                actor_role=CaseEvent.Role.APPLICANT,
                created_at__gte=since,
                case__procedure__service__instructors=user,
            )
            .values("case")
            .distinct()
            .count()
        )
        if not new_tasks and not replies:
            continue
        context = {
            "user": user,
            "new_tasks": new_tasks,
            "replies": replies,
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

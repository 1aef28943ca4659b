"""Emails about a case, written to the identity outbox (delivered after commit).

Each email is French, plain text + HTML, carries the case number and a signed link that
opens the case without an account, and never attaches personal documents. The same email
to the same person within ``MERGE_WINDOW`` is sent once.
"""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identity.models import Notification
from identity.services import notification_enqueue

from . import tracking

MERGE_WINDOW = timedelta(minutes=5)

SUBJECTS = {
    "submitted": gettext_lazy("Votre demande %(number)s est bien enregistrée"),
    "instruction_started": gettext_lazy("Votre demande %(number)s est en cours d'instruction"),
    "discussion_opened": gettext_lazy(
        "Le service vous pose une question sur la demande %(number)s"
    ),
    "message": gettext_lazy("Nouveau message sur votre demande %(number)s"),
    "decision": gettext_lazy("Une décision a été prise sur votre demande %(number)s"),
}


def _recently_sent(recipient: str, subject: str) -> bool:
    return Notification.objects.filter(
        recipient=recipient, subject=subject, created_at__gte=timezone.now() - MERGE_WINDOW
    ).exists()


def notify(case, event: str) -> None:
    if not case.applicant_email:
        return
    subject = SUBJECTS[event] % {"number": case.display_number}
    if _recently_sent(case.applicant_email, subject):
        return
    context = {"case": case, "event": event, "link": tracking.make_link(case)}
    notification_enqueue(
        channel=Notification.Channel.EMAIL,
        recipient=case.applicant_email,
        subject=subject,
        body_text=render_to_string("cases/email/case_event.txt", context),
        body_html=render_to_string("cases/email/case_event.html", context),
    )


def send_email_code(case, *, email: str, code: str) -> None:
    context = {"case": case, "code": code}
    notification_enqueue(
        channel=Notification.Channel.EMAIL,
        recipient=email,
        subject=_("Votre code de confirmation : %(code)s") % {"code": code},
        body_text=render_to_string("cases/email/email_code.txt", context),
    )


def draft_expiry_warning(case, *, email: str, deleted_on) -> None:
    context = {"case": case, "deleted_on": deleted_on}
    notification_enqueue(
        channel=Notification.Channel.EMAIL,
        recipient=email,
        subject=_("Votre brouillon « %(title)s » sera bientôt supprimé")
        % {"title": case.procedure.title},
        body_text=render_to_string("cases/email/draft_expiry.txt", context),
    )

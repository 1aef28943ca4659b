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
from .models import NotificationPreference

MERGE_WINDOW = timedelta(minutes=5)

SUBJECTS = {
    "submitted": gettext_lazy("Votre demande %(number)s est bien enregistrée"),
    "instruction_started": gettext_lazy("Votre demande %(number)s est en cours d'instruction"),
    "discussion_opened": gettext_lazy(
        "Le service vous pose une question sur la demande %(number)s"
    ),
    "message": gettext_lazy("Nouveau message sur votre demande %(number)s"),
    "decision": gettext_lazy("Une décision a été prise sur votre demande %(number)s"),
    "reminder": gettext_lazy("Rappel : le service attend votre réponse (demande %(number)s)"),
    "reopened": gettext_lazy("Votre demande %(number)s est de nouveau à l'étude"),
}


def _recently_sent(recipient: str, subject: str) -> bool:
    return Notification.objects.filter(
        recipient=recipient, subject=subject, created_at__gte=timezone.now() - MERGE_WINDOW
    ).exists()


def _channels(case, event: str) -> tuple[bool, str]:
    """(send an email?, mobile number for an SMS or "") for the account holder's choice."""
    holder = case.created_by if case.space_id else None
    if holder is None or event not in NotificationPreference.Event.values:
        return True, ""
    pref = NotificationPreference.objects.filter(user=holder, event=event).first()
    email, sms = (pref.email, pref.sms) if pref else (True, False)
    return email, holder.verified_phone if sms else ""


def notify(case, event: str) -> None:
    if not case.applicant_email:
        return
    subject = SUBJECTS[event] % {"number": case.display_number}
    link = tracking.make_link(case)
    by_email, mobile = _channels(case, event)
    if by_email and not _recently_sent(case.applicant_email, subject):
        context = {"case": case, "event": event, "link": link}
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=case.applicant_email,
            subject=subject,
            body_text=render_to_string("cases/email/case_event.txt", context),
            body_html=render_to_string("cases/email/case_event.html", context),
        )
    if mobile and not _recently_sent(mobile, subject):
        notification_enqueue(
            channel=Notification.Channel.SMS,
            recipient=mobile,
            subject=subject,
            body_text=f"{subject}. {link}",
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

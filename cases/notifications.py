"""Emails about a case, written to the identity outbox (delivered after commit).

Each email is French, plain text + HTML, carries the case number and a signed link that
opens the case without an account, and never attaches personal documents. Every email
tells of one timeline event (its *cause*): that event is emailed once however many times
it is enqueued, and two different events are two emails, however close in time (ADR 0009).
A démarche may add its own text to each email, never replacing the standard one (ADR 0022).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identity.models import Notification
from identity.services import notification_enqueue

from . import email_texts, tracking
from .models import Case, CaseEvent, NotificationPreference

SUBJECTS = {
    "submitted": gettext_lazy("Votre demande %(number)s est bien enregistrée"),
    "instruction_started": gettext_lazy("Votre demande %(number)s est en cours d'instruction"),
    "discussion_opened": gettext_lazy(
        "Le service vous pose une question sur la demande %(number)s"
    ),
    "message": gettext_lazy("Nouveau message sur votre demande %(number)s"),
    "reminder": gettext_lazy("Rappel : le service attend votre réponse (demande %(number)s)"),
    "reopened": gettext_lazy("Votre demande %(number)s est de nouveau à l'étude"),
    "retention_notice": gettext_lazy(
        "Votre demande %(number)s sera bientôt supprimée : téléchargez-la"
    ),
}
# A decision email says the outcome in its subject.
DECISION_SUBJECTS = {
    Case.Status.ACCEPTED: gettext_lazy("Votre demande %(number)s est acceptée"),
    Case.Status.REFUSED: gettext_lazy("Votre demande %(number)s est refusée"),
    Case.Status.CLOSED: gettext_lazy("Votre demande %(number)s est classée sans suite"),
}


def _subject(case, event: str, cause: CaseEvent) -> str:
    template = DECISION_SUBJECTS[cause.status] if event == "decision" else SUBJECTS[event]
    return template % {"number": case.display_number}


def _first_notice(cause: CaseEvent) -> bool:
    """Mark ``cause`` as notified; False if it already was (the same event enqueued again).

    One conditional UPDATE: of two concurrent calls for the same event, one wins."""
    return bool(
        CaseEvent.objects.filter(pk=cause.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    )


def _channels(case, event: str) -> tuple[bool, str]:
    """(send an email?, mobile number for an SMS or "") for the account holder's choice."""
    holder = case.created_by if case.space_id else None
    if holder is None or event not in NotificationPreference.Event.values:
        return True, ""
    pref = NotificationPreference.objects.filter(
        user=holder, space_id=case.space_id, event=event
    ).first()
    email, sms = (pref.email, pref.sms) if pref else (True, False)
    return email, holder.verified_phone if sms else ""


def text_values(case, when) -> dict[str, str]:
    """What the variables of a démarche's email text become (``email_texts.VARIABLES``)."""
    return {
        "numero": case.display_number,
        "demarche": case.procedure.title,
        "service": case.procedure.service.name,
        "date": f"{timezone.localtime(when):%d/%m/%Y}",
    }


def render_email(case, event: str, *, cause: CaseEvent, link: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of the email telling of ``cause``; the preview of the
    démarche administration renders the same (ADR 0022)."""
    key = email_texts.event_key(event, cause.status)
    own = email_texts.text_for(case.procedure, key)
    context = {
        "case": case,
        "event": event,
        "outcome": cause.get_status_display(),
        "link": link,
        # The retention notice (ADR 0406): the same signed link, going on to the ZIP.
        "archive_link": tracking.then(link, "archive"),
        # The démarche's own text, added after the standard paragraph; the templates
        # escape it (HTML) and keep its line breaks.
        "procedure_text": (
            email_texts.substitute(own, text_values(case, cause.created_at)) if own else ""
        ),
    }
    return (
        _subject(case, event, cause),
        render_to_string("cases/email/case_event.txt", context),
        render_to_string("cases/email/case_event.html", context),
    )


def notify(case, event: str, *, cause: CaseEvent) -> None:
    """Tell the applicant of ``cause``, the timeline event ``event`` names."""
    if not case.applicant_email or not _first_notice(cause):
        return
    subject = _subject(case, event, cause)
    link = tracking.make_link(case)
    by_email, mobile = _channels(case, event)
    if by_email:
        subject, body_text, body_html = render_email(case, event, cause=cause, link=link)
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=case.applicant_email,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
        )
    if mobile:
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

"""Emails of the expert opinions, written to the identity outbox (sent after commit).

Plain text only (nothing typed by a person is ever put in HTML), and no question or
answer in them: an email names the demande and gives a link; the text is read on the
site, after login. The applicant is never written to about an avis.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from identity.models import Notification
from identity.services import notification_enqueue


def _url(name: str, *args) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse(name, args=args)


def _send(recipient: str, subject: str, template: str, context: dict) -> None:
    if not recipient:
        return
    notification_enqueue(
        channel=Notification.Channel.EMAIL,
        recipient=recipient,
        subject=subject,
        body_text=render_to_string(f"workflows/avis/email/{template}.txt", context),
    )


def _context(avis, **extra) -> dict:
    case = avis.case
    return {
        "number": case.display_number,
        "procedure": case.procedure.title,
        "service": case.service.name,
        "due_on": avis.due_on,
        "operator": settings.GUICHET_OPERATOR_NAME,
        **extra,
    }


def _expert_link(avis, token) -> str:
    if token:
        return _url("workflows:avis_invitation", token)
    return _url("workflows:avis_detail", avis.pk)


def invitation(avis, *, token: str) -> None:
    subject = _("Demande d'avis sur le dossier %(number)s") % {"number": avis.case.display_number}
    context = _context(avis, link=_expert_link(avis, token))
    _send(avis.email, subject, "invitation", context)


def reminder(avis, *, token: str | None) -> None:
    subject = _("Rappel : votre avis est attendu (dossier %(number)s)") % {
        "number": avis.case.display_number
    }
    context = _context(avis, link=_expert_link(avis, token))
    _send(avis.email, subject, "reminder", context)


def answered(avis) -> None:
    """To the instructor who asked (while their account is active)."""
    asker = avis.asked_by
    if asker is None or not asker.is_active:
        return
    subject = _("Demande %(number)s : l'expert a rendu son avis") % {
        "number": avis.case.display_number
    }
    context = _context(avis, link=_url("workflows:case", avis.case.number) + "#avis")
    _send(asker.email, subject, "answered", context)


def ended(avis) -> None:
    """To the expert: the service no longer waits for the avis (withdrawn, or the
    demande was decided)."""
    subject = _("Dossier %(number)s : votre avis n'est plus attendu") % {
        "number": avis.case.display_number
    }
    _send(avis.email, subject, "ended", _context(avis))

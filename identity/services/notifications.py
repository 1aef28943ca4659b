"""Writes for people, spaces and notifications. Keyword-only, named ``<entity>_<action>``."""

import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import Membership, Notification, Space, User
from identity.sms import get_sms_gateway

logger = logging.getLogger(__name__)


def space_create_personal(*, user: User) -> Space:
    space = Space.objects.create(kind=Space.Kind.PERSONAL, name=_("Espace personnel"))
    Membership.objects.create(user=user, space=space, role=Membership.Role.OWNER)
    return space


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body_text: str,
    subject: str = "",
    body_html: str = "",
    urgent: bool = False,
) -> Notification:
    """Write a notification in the caller's transaction; publish it once that commits.

    If the broker cannot be reached the row stays pending and the periodic drain sends it:
    a broker outage never loses a notification. ``urgent`` messages (codes and links someone
    is waiting for on a page) go to the queue the worker serves first, never behind a burst
    of notices or digests (ADR 0313).
    """
    notification = Notification.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    transaction.on_commit(lambda: _publish(notification.pk, urgent=urgent))
    return notification


def _publish(notification_id, *, urgent: bool) -> None:
    from identity.tasks import deliver_notification

    queue = settings.CELERY_URGENT_QUEUE if urgent else settings.CELERY_TASK_DEFAULT_QUEUE
    outbox_publish(deliver_notification, notification_id, queue=queue)


def outbox_publish(task, row_id, *, queue: str | None = None) -> None:
    """Hand an outbox row (a notification, a webhook delivery) to its worker task.

    Called once the row's transaction committed. If the broker cannot be reached nothing
    is lost: the row stays pending and the periodic drain of its outbox sends it."""
    try:
        task.apply_async(
            args=[str(row_id)], retry=False, queue=queue or settings.CELERY_TASK_DEFAULT_QUEUE
        )
    except Exception:
        logger.warning(
            "outbox publish failed; the drain will send it",
            extra={"task": task.name, "row_id": str(row_id)},
            exc_info=True,
        )


def message_id(notification: Notification) -> str:
    """The same Message-ID at every attempt: if a message is sent again after a crash
    between the server's acceptance and our commit, mail systems can see it is one message
    (ADR 0306)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "guichet.invalid"
    return f"<notification-{notification.pk}@{domain}>"


def _send(notification: Notification) -> None:
    if notification.channel == Notification.Channel.EMAIL:
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
            headers={
                "X-Guichet-Notification": str(notification.pk),
                "Message-ID": message_id(notification),
            },
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        message.send(fail_silently=False)
    else:
        get_sms_gateway().send(to=notification.recipient, body=notification.body_text)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.OUTBOX_BACKOFF_SECONDS * 2 ** (attempts - 1))


def notification_deliver(*, notification_id) -> Notification | None:
    """Send one notification if it is still pending; safe to run twice or concurrently.

    The row stays locked while it is sent and is marked sent in the same transaction: a
    worker that dies before the server accepts the message leaves it pending (its
    transaction rolls back), and the task, acknowledged only at its end, runs again on
    another worker (ADR 0306).

    Returns the notification, or None when another worker holds it or it is gone. On a
    delivery error the attempt is counted and the next one scheduled with backoff; after
    OUTBOX_MAX_ATTEMPTS it is marked failed.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return None
        try:
            _send(notification)
        except Exception as exc:
            notification.attempts += 1
            notification.last_error = type(exc).__name__[:200]
            if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.next_attempt_at = timezone.now() + _backoff(notification.attempts)
            logger.warning(
                "notification delivery failed",
                extra={
                    "notification_id": str(notification.pk),
                    "attempts": notification.attempts,
                    "error": notification.last_error,
                },
            )
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"]
        )
        return notification


def notification_drain(*, limit: int = 500) -> int:
    """Deliver what is due in the outbox; returns how many were sent."""
    due = Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    sent = 0
    for notification_id in list(due):
        result = notification_deliver(notification_id=notification_id)
        if result is not None and result.status == Notification.Status.SENT:
            sent += 1
    return sent

"""The outbox's side of the fault tests: a notification row and its publication."""

from config.celery import app
from identity.models import Notification
from identity.tasks import deliver_notification


def decision_email(recipient: str = "agathe.roux@example.fr") -> Notification:
    """A decision email written to the outbox, not published yet."""
    return Notification.objects.create(
        channel=Notification.Channel.EMAIL,
        recipient=recipient,
        subject="Votre demande est acceptée",
        body_text="Bonjour, votre demande est acceptée.",
    )


def publish(notification: Notification, broker_url: str) -> None:
    """What ``notification_enqueue`` does on commit, on the given broker."""
    with app.connection_for_write(broker_url) as connection:
        deliver_notification.apply_async(args=[str(notification.pk)], connection=connection)


def status_of(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.status

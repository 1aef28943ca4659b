"""Writes for webhook endpoints and their outbox. Keyword-only, ``<entity>_<action>``
(ADR 0501)."""

import base64
import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import Notification
from identity.services import notification_enqueue, outbox_publish

from . import transport
from .models import Attempt, Delivery, Endpoint, EventType

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt: 12 attempts over about three days (the
# Standard Webhooks schedule, stretched with ten-hour waits). After the last one the
# delivery has failed for good.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000, 36000, 36000)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1


def secret_new() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def endpoint_create(*, procedure, url: str, events: list[str], description: str = "", user):
    return Endpoint.objects.create(
        procedure=procedure,
        url=url,
        events=sorted(set(events)),
        description=description,
        secret=secret_new(),
        created_by=user,
    )


def endpoint_update(*, endpoint: Endpoint, events: list[str], description: str) -> Endpoint:
    endpoint.events = sorted(set(events))
    endpoint.description = description
    endpoint.save(update_fields=["events", "description"])
    return endpoint


def endpoint_enable(*, endpoint: Endpoint) -> Endpoint:
    """Enable again; deliveries still pending resume at the next drain."""
    endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
    endpoint.consecutive_failures = 0
    endpoint.save(
        update_fields=["enabled", "disabled_at", "disabled_reason", "consecutive_failures"]
    )
    return endpoint


def endpoint_disable(*, endpoint: Endpoint, reason: str = "") -> Endpoint:
    endpoint.enabled, endpoint.disabled_at = False, timezone.now()
    endpoint.disabled_reason = reason[:200]
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason"])
    return endpoint


def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


def case_api_url(number: str) -> str:
    """Where a receiver fetches the demande (the REST API, ADR 0500)."""
    return f"{settings.GUICHET_SITE_URL.rstrip('/')}/api/v1/demandes/{number}/"


def delivery_create(*, endpoint: Endpoint, type: str, data: dict) -> Delivery:
    """An outbox row, not published (``event_emit`` publishes on commit)."""
    delivery = Delivery(endpoint=endpoint, type=type)
    payload = {
        "id": delivery.message_id,
        "type": type,
        "timestamp": delivery.created_at.isoformat(),
        "data": data,
    }
    delivery.body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    delivery.save()
    return delivery


def event_emit(*, procedure_id: int, type: str, case) -> list[Delivery]:
    """Write one delivery per enabled endpoint of the démarche subscribed to ``type``, in
    the caller's transaction; each is published once that commits."""
    demande = {"number": case.number, "status": case.status, "url": case_api_url(case.number)}
    data = {"demande": demande}
    deliveries = [
        delivery_create(endpoint=endpoint, type=type, data=data)
        for endpoint in Endpoint.objects.filter(procedure_id=procedure_id, enabled=True)
        if type in endpoint.events
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _publish(pk))
    return deliveries


def test_event_send(*, endpoint: Endpoint) -> Delivery:
    """The "send a test event" button: a ``webhook.test`` delivery, whatever the
    endpoint's subscriptions."""
    delivery = delivery_create(
        endpoint=endpoint,
        type=EventType.TEST,
        data={"procedure": endpoint.procedure.slug, "message": "test"},
    )
    transaction.on_commit(lambda: _publish(delivery.pk))
    return delivery


def _publish(delivery_id) -> None:
    from .tasks import deliver_webhook

    outbox_publish(deliver_webhook, delivery_id)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=RETRY_SCHEDULE[min(attempts, len(RETRY_SCHEDULE)) - 1])


def delivery_deliver(*, delivery_id) -> Delivery | None:
    """Send one delivery if it is still pending and its endpoint enabled; safe to run
    twice or concurrently.

    As the notification outbox (ADR 0306): the row stays locked while the POST is made and
    its outcome is written in the same transaction. A worker that dies mid-POST leaves it
    pending (its transaction rolls back) and the late-acknowledged task runs again, with
    the same ``webhook-id``: the receiver may see the event twice and de-duplicates it.

    Returns the delivery, or None when another worker holds it, it is gone, not due yet
    (a copy of the task and the drain may both come: only one attempt is made) or its
    endpoint is disabled.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(
                pk=delivery_id,
                status=Delivery.Status.PENDING,
                next_attempt_at__lte=timezone.now(),
                endpoint__enabled=True,
            )
            .first()
        )
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        result = transport.post(
            url=endpoint.url,
            secret=endpoint.secret,
            message_id=delivery.message_id,
            body=delivery.body,
        )
        Attempt.objects.create(
            delivery=delivery,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        delivery.attempts += 1
        now = timezone.now()
        if result.ok:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                Delivery.Status.DELIVERED,
                now,
                "",
            )
            Endpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0, last_success_at=now
            )
        else:
            delivery.last_error = result.error or f"HTTP {result.status_code}"
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            else:
                delivery.next_attempt_at = now + _backoff(delivery.attempts)
            _failure_count(endpoint, delivery)
            logger.warning(
                "webhook delivery failed",
                extra={
                    "delivery_id": str(delivery.pk),
                    "attempts": delivery.attempts,
                    "error": delivery.last_error,
                },
            )
        delivery.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "delivered_at"]
        )
        return delivery


def _failure_count(endpoint: Endpoint, delivery: Delivery) -> None:
    """Count the failure; disable the endpoint when a delivery has failed at every attempt
    over three days and nothing has reached it since that delivery was written."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures"])
    gave_up = delivery.status == Delivery.Status.FAILED
    silent = endpoint.last_success_at is None or endpoint.last_success_at < delivery.created_at
    if gave_up and silent and endpoint.enabled:
        endpoint_disable(endpoint=endpoint, reason=_("Échecs répétés pendant trois jours"))
        _tell_administrators(endpoint)


def _tell_administrators(endpoint: Endpoint) -> None:
    procedure = endpoint.procedure
    path = reverse("api:webhooks:list", kwargs={"slug": procedure.slug})
    link = f"{settings.GUICHET_SITE_URL.rstrip('/')}{path}"
    subject = _("Webhook désactivé pour la démarche « %(title)s »") % {"title": procedure.title}
    body = _(
        "Bonjour,\n\n"
        "L'adresse %(url)s ne reçoit plus les événements de la démarche « %(title)s » : "
        "tous les envois des trois derniers jours ont échoué, nous l'avons désactivée.\n\n"
        "Une fois le problème corrigé, vous pouvez la réactiver ici : %(link)s\n"
    ) % {"url": endpoint.url, "title": procedure.title, "link": link}
    for admin in procedure.administrators.filter(is_active=True):
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=admin.email,
            subject=subject,
            body_text=body,
        )


def webhooks_drain(*, limit: int = 500) -> int:
    """Deliver what is due; returns how many were delivered."""
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        endpoint__enabled=True,
    ).values_list("pk", flat=True)[:limit]
    delivered = 0
    for delivery_id in list(due):
        result = delivery_deliver(delivery_id=delivery_id)
        if result is not None and result.status == Delivery.Status.DELIVERED:
            delivered += 1
    return delivered

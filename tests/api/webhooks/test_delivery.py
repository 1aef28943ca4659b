"""Webhook deliveries to a real HTTP receiver on a loopback port (ADR 0501)."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from api.webhooks import services
from api.webhooks.models import Delivery, Endpoint, EventType
from cases.models import CaseEvent
from cases.services.instruction import message_post
from identity.models import Notification
from tests.support.factories import CaseFactory, UserFactory
from tests.support.instruction import make_instructor
from workflows.avis.models import Avis
from workflows.avis.services import avis_answer, avis_ask

pytestmark = pytest.mark.django_db


def due_now(delivery: Delivery) -> None:
    """Time passes until the next attempt is due."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_delivery_is_signed_the_standard_webhooks_way(endpoint, receiver):
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)

    [request] = receiver.requests
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test"
    assert payload["id"] == request.headers["webhook-id"] == delivery.message_id
    assert endpoint.secret.startswith("whsec_")
    # A database dump alone does not hold the secret.
    stored = Endpoint.objects.filter(pk=endpoint.pk).values_list("secret_encrypted", flat=True)
    assert endpoint.secret not in stored.get()
    assert endpoint.secret.removeprefix("whsec_") not in stored.get()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    # Another secret does not verify it.
    with pytest.raises(Exception, match="signature"):
        Webhook(services.secret_new()).verify(request.body, request.headers)


def test_a_500_is_retried_with_the_same_event_id_until_it_succeeds(endpoint, receiver):
    receiver.answers = [500]
    delivery = services.test_event_send(endpoint=endpoint)

    services.delivery_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_attempt_at > timezone.now()
    # Not due yet: the drain leaves it alone.
    assert services.webhooks_drain() == 0
    assert len(receiver.requests) == 1

    due_now(delivery)
    assert services.webhooks_drain() == 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.message_id] * 2
    assert receiver.requests[0].body == receiver.requests[1].body
    attempts = list(delivery.attempt_log.all())
    assert [a.status_code for a in attempts] == [500, 200]
    assert all(a.duration_ms >= 0 and a.at for a in attempts)
    for request in receiver.requests:
        Webhook(endpoint.secret).verify(request.body, request.headers)


def test_the_retries_last_three_days():
    assert sum(services.RETRY_SCHEDULE) >= timedelta(days=2, hours=18).total_seconds()
    assert sum(services.RETRY_SCHEDULE) <= timedelta(days=3).total_seconds()


def test_the_business_events_become_deliveries_with_the_demande_url(endpoint, receiver, settings):
    settings.GUICHET_SITE_URL = "https://guichet.example.fr"
    case = CaseFactory(in_instruction=True)

    deliveries = Delivery.objects.filter(endpoint=endpoint).order_by("created_at")
    types = [d.type for d in deliveries]
    assert types[0] == EventType.SUBMITTED
    assert EventType.STATE_CHANGED in types
    body = json.loads(deliveries[0].body)
    assert body["data"]["demande"] == {
        "number": case.number,
        "status": "submitted",
        "url": f"https://guichet.example.fr/api/v1/demandes/{case.number}/",
    }
    assert body["id"] == deliveries[0].message_id

    services.webhooks_drain()
    assert {json.loads(r.body)["type"] for r in receiver.requests} == set(types)


def test_only_the_subscribed_events_of_an_enabled_endpoint_are_written(endpoint, receiver):
    services.endpoint_update(endpoint=endpoint, events=[EventType.REPLIED], description="")
    CaseFactory(submitted=True)
    assert not Delivery.objects.filter(endpoint=endpoint).exists()


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "192.168.0.10", "[::1]"],
)
def test_private_and_loopback_addresses_are_refused_in_production(
    endpoint, receiver, settings, host
):
    """``localhost`` is a host name resolving to 127.0.0.1: refused after resolution."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    Endpoint.objects.filter(pk=endpoint.pk).update(url=f"https://{host}:{receiver.port}/hooks")
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)

    assert receiver.requests == []
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert attempt.error.startswith("refused")


def test_plain_http_is_refused_in_production(endpoint, receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)
    assert receiver.requests == []
    assert delivery.attempt_log.get().error == "refused: scheme"


def test_a_port_out_of_range_is_a_refused_attempt_not_a_crash(endpoint, receiver):
    # Django's URLField accepts any five digits as a port.
    Endpoint.objects.filter(pk=endpoint.pk).update(url="https://example.org:99999/hooks")
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)
    assert delivery.attempt_log.get().error == "refused: invalid port"


def test_the_loopback_receiver_is_allowed_where_the_setting_allows_it(endpoint, receiver):
    Endpoint.objects.filter(pk=endpoint.pk).update(url=receiver.url(host="localhost"))
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)
    assert len(receiver.requests) == 1


def test_a_redirect_is_not_followed(endpoint, receiver):
    receiver.redirect_to = receiver.url("/elsewhere")
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)

    assert [r.path for r in receiver.requests] == ["/hooks"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.error) == (302, "redirect not followed")


def test_an_endpoint_failing_for_three_days_is_disabled_and_its_administrators_told(
    endpoint, receiver, administrator
):
    receiver.answers = [500] * services.MAX_ATTEMPTS
    delivery = services.test_event_send(endpoint=endpoint)
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        due_now(delivery)
        services.delivery_deliver(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert not Notification.objects.filter(recipient=administrator.email).exists()

    due_now(delivery)
    services.delivery_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempt_log.count() == services.MAX_ATTEMPTS
    assert not endpoint.enabled
    assert endpoint.consecutive_failures == services.MAX_ATTEMPTS
    [mail] = Notification.objects.filter(recipient=administrator.email)
    assert endpoint.procedure.title in mail.subject
    assert endpoint.url in mail.body_text

    # Nothing more goes to a disabled endpoint, not even what is pending.
    other = services.test_event_send(endpoint=endpoint)
    assert services.delivery_deliver(delivery_id=other.pk) is None
    assert len(receiver.requests) == services.MAX_ATTEMPTS


def test_a_failed_event_does_not_disable_an_endpoint_that_received_others_since(endpoint, receiver):
    receiver.answers = [500] * (services.MAX_ATTEMPTS - 1)
    failing = services.test_event_send(endpoint=endpoint)
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        due_now(failing)
        services.delivery_deliver(delivery_id=failing.pk)
    receiver.answers = []
    services.delivery_deliver(delivery_id=services.test_event_send(endpoint=endpoint).pk)
    receiver.answers = [400]
    due_now(failing)
    services.delivery_deliver(delivery_id=failing.pk)

    failing.refresh_from_db()
    endpoint.refresh_from_db()
    assert failing.status == Delivery.Status.FAILED
    assert endpoint.enabled


def _types(endpoint) -> list[str]:
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .order_by("created_at")
        .values_list("type", flat=True)
    )


def test_an_applicant_reply_is_a_replied_event(endpoint, applicant):
    case = CaseFactory(awaiting_applicant=True, applicant=applicant)
    Delivery.objects.all().delete()

    message_post(case=case, author=applicant, role=CaseEvent.Role.APPLICANT, body="Voici.")

    # The reply also moves the demande back to the service.
    assert _types(endpoint) == [EventType.STATE_CHANGED, EventType.REPLIED]


def test_an_answered_avis_is_an_avis_answered_event(endpoint):
    case = CaseFactory(in_instruction=True)
    instructor = make_instructor(
        "alice.durand@departement.example", "Alice", "Durand", case.procedure.service.slug
    )
    avis = avis_ask(
        case=case,
        user=instructor,
        email="expert@example.fr",
        question="Votre avis ?",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    expert = UserFactory(email="expert@example.fr")
    Avis.objects.filter(pk=avis.pk).update(expert=expert)
    Delivery.objects.all().delete()

    avis_answer(avis=avis, user=expert, answer="Favorable.")

    assert _types(endpoint) == [EventType.AVIS_ANSWERED]


def test_a_rolled_back_change_sends_nothing(endpoint, applicant):
    case = CaseFactory(awaiting_applicant=True, applicant=applicant)
    Delivery.objects.all().delete()

    def reply_then_fail():
        with transaction.atomic():
            message_post(case=case, author=applicant, role=CaseEvent.Role.APPLICANT, body="Hop")
            assert EventType.REPLIED in _types(endpoint)  # written with the reply
            raise RuntimeError

    with pytest.raises(RuntimeError):
        reply_then_fail()
    assert _types(endpoint) == []

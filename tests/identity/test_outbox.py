"""The notification outbox: nothing is lost when the broker, SMTP or SMS provider fails."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from identity.models import Notification
from identity.services import notification_deliver, notification_drain, notification_enqueue
from tests.support.services import free_port

pytestmark = pytest.mark.django_db


def _enqueue_email(**kwargs):
    defaults = {
        "channel": Notification.Channel.EMAIL,
        "recipient": "camille@example.fr",
        "subject": "Votre demande",
        "body_text": "Bonjour, votre demande est enregistrée.",
        "body_html": "<p>Bonjour, votre demande est enregistrée.</p>",
    }
    return notification_enqueue(**{**defaults, **kwargs})


def test_notification_is_delivered_once_its_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _enqueue_email()
        assert mailoutbox == []  # nothing leaves before the commit
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["camille@example.fr"]
    assert message.alternatives[0][1] == "text/html"


def test_rolled_back_business_transaction_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    def business_failure():
        with transaction.atomic():
            _enqueue_email()
            raise RuntimeError("business failure")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        business_failure()
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_delivery_is_idempotent(mailoutbox):
    notification = _enqueue_email()
    notification_deliver(notification_id=notification.pk)
    notification_deliver(notification_id=notification.pk)
    assert len(mailoutbox) == 1


def test_smtp_failure_is_retried_with_backoff_then_delivered(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    notification = _enqueue_email(subject="Relance SMTP")

    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert notification.last_error == "ConnectionRefusedError"
    assert notification.next_attempt_at > timezone.now()

    settings.EMAIL_PORT = smtp_server.port  # the SMTP server is back
    assert notification_drain() == 0  # not due yet: backoff is respected
    with time_machine.travel(notification.next_attempt_at + timedelta(seconds=1)):
        assert notification_drain() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    received = smtp_server.wait_for(lambda m: m["Subject"] == "Relance SMTP")
    assert received["To"] == "camille@example.fr"


def test_notification_is_marked_failed_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.OUTBOX_MAX_ATTEMPTS = 2
    notification = _enqueue_email()
    notification_deliver(notification_id=notification.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        notification_drain()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 2


def test_sms_file_gateway_writes_the_code_under_var(settings, tmp_path):
    notification = notification_enqueue(
        channel=Notification.Channel.SMS, recipient="+33612345678", body_text="Code : 123456"
    )
    notification_deliver(notification_id=notification.pk)
    files = list((tmp_path / "sms").iterdir())
    assert len(files) == 1
    assert "+33612345678" in files[0].read_text()
    assert "123456" in files[0].read_text()


class _Provider(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Authorization"], json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_provider(settings):
    _Provider.received = []
    _Provider.status = 503
    server = HTTPServer(("127.0.0.1", free_port()), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_HTTP_TOKEN = "provider-token"
    yield _Provider
    server.shutdown()


def test_failing_sms_provider_does_not_lose_the_code(sms_provider):
    notification = notification_enqueue(
        channel=Notification.Channel.SMS, recipient="+33612345678", body_text="Code : 654321"
    )
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.last_error == "SmsDeliveryError"

    sms_provider.status = 200
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert notification_drain() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    authorization, payload = sms_provider.received[-1]
    assert authorization == "Bearer provider-token"
    assert payload == {"to": "+33612345678", "from": "Guichet", "text": "Code : 654321"}

"""Over https the request goes to the checked address, and the certificate is checked
against the host name of the URL (ADR 0501)."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from standardwebhooks import Webhook

from api.webhooks import services
from api.webhooks.models import Delivery, Endpoint

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for ``localhost`` only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(tz=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@pytest.fixture
def tls_receiver(certificate):
    server = Receiver(certificate=certificate).start()
    yield server
    server.stop()


def deliver_to(endpoint, url: str) -> Delivery:
    Endpoint.objects.filter(pk=endpoint.pk).update(url=url)
    delivery = services.test_event_send(endpoint=endpoint)
    services.delivery_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_an_untrusted_certificate_is_a_failed_attempt(endpoint, tls_receiver):
    delivery = deliver_to(endpoint, tls_receiver.url(host="localhost"))
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempt_log.get().error == "SSLCertVerificationError"
    assert tls_receiver.requests == []


def test_a_trusted_certificate_for_the_host_name_receives_it(
    endpoint, tls_receiver, certificate, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    delivery = deliver_to(endpoint, tls_receiver.url(host="localhost"))
    assert delivery.status == Delivery.Status.DELIVERED
    [request] = tls_receiver.requests
    Webhook(endpoint.secret).verify(request.body, request.headers)
    assert request.headers["host"] == f"localhost:{tls_receiver.port}"


def test_the_certificate_must_name_the_host_of_the_url(
    endpoint, tls_receiver, certificate, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    delivery = deliver_to(endpoint, tls_receiver.url(host="127.0.0.1"))
    assert delivery.attempt_log.get().error == "SSLCertVerificationError"
    assert tls_receiver.requests == []

"""Signed POSTs to an endpoint, with the SSRF guard (ADR 0501).

The host is resolved once; every address it resolves to must be public (not private,
loopback, link-local, multicast, reserved or unspecified) unless
``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`` is set (tests, development). The connection then goes
to the checked address itself, with the host name only in the Host header and the TLS
server name: a second DNS answer cannot point the request elsewhere (no rebinding window).
Redirects are never followed: a 3xx answer is a failed attempt.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from standardwebhooks import Webhook

CONNECT_TIMEOUT = 5  # seconds
READ_TIMEOUT = 10  # seconds, for the whole answer
MAX_ANSWER_BYTES = 64 * 1024  # what is read of the answer before closing


class RefusedAddressError(Exception):
    """The URL or the address it resolves to may not receive webhooks."""


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _allow_private() -> bool:
    return getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)


def address_allowed(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if _allow_private():
        return True
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def url_check(url: str) -> None:
    """Refuse what is not an https URL (plain http only where private addresses are
    allowed: a receiver in tests or development)."""
    parts = urlsplit(url)
    allowed = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise RefusedAddressError("scheme")
    if parts.username or parts.password:
        raise RefusedAddressError("credentials in URL")


def resolve(host: str, port: int) -> str:
    """The one address the request goes to: every address of the host must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddressError("unresolvable host") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise RefusedAddressError("unresolvable host")
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise RefusedAddressError(f"non-public address {refused[0]}")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, ip, **kwargs):
        super().__init__(host, port, **kwargs)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, ip, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._ip = ip

    def connect(self):
        raw = socket.create_connection((self._ip, self.port), CONNECT_TIMEOUT)
        raw.settimeout(READ_TIMEOUT)
        # Certificate checked against the host name, not the address.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def signed_headers(*, secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """Standard Webhooks headers: HMAC-SHA256 over ``id.timestamp.body``."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def post(*, url: str, secret: str, message_id: str, body: str) -> Result:
    """One signed POST; never raises for network trouble: the result says what happened."""
    started = time.monotonic()

    def result(status_code=None, error=""):
        elapsed = int((time.monotonic() - started) * 1000)
        return Result(status_code=status_code, error=error[:200], duration_ms=elapsed)

    try:
        url_check(url)
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve(parts.hostname, port)
    except RefusedAddressError as exc:
        return result(error=f"refused: {exc}")
    except ValueError:  # a port out of range, which URLField lets through
        return result(error="refused: invalid port")
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, ip=ip, timeout=READ_TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Guichet-Webhooks/1",
        **signed_headers(secret=secret, message_id=message_id, body=body, at=datetime.now(tz=UTC)),
    }
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return result(error=type(exc).__name__)
    finally:
        connection.close()
    if 300 <= status < 400:
        return result(status, "redirect not followed")
    return result(status)

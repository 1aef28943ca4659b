"""SMS gateways behind one interface, chosen by ``SMS_BACKEND``.

- ``file`` (embedded default): one file per message under ``var/sms/``;
- ``console``: printed on standard output;
- ``http``: a provider's JSON HTTP API (``SMS_HTTP_URL`` with a bearer ``SMS_HTTP_TOKEN``).

A gateway raises ``SmsDeliveryError`` when the message was not accepted; the outbox counts
the attempt and tries again later, so the code inside is never lost.
"""

import json
import sys
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SmsDeliveryError(Exception):
    pass


class FileGateway:
    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or settings.SMS_FILE_PATH)

    def send(self, *, to: str, body: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.txt"
        path.write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")


class ConsoleGateway:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        self.stream.write(f"SMS to {to}:\n{body}\n")
        self.stream.flush()


class HttpGateway:
    """POSTs ``{"to", "from", "text"}`` as JSON; any 2xx answer means accepted."""

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or settings.SMS_HTTP_URL
        self.token = token or settings.SMS_HTTP_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http(s) URL.")

    def send(self, *, to: str, body: str) -> None:
        payload = json.dumps({"to": to, "from": settings.SMS_HTTP_SENDER, "text": body})
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=payload.encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsDeliveryError(f"provider answered {response.status}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(type(exc).__name__) from exc


_GATEWAYS = {"file": FileGateway, "console": ConsoleGateway, "http": HttpGateway}


def get_sms_gateway():
    try:
        return _GATEWAYS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(
            f"SMS_BACKEND must be one of {sorted(_GATEWAYS)}, not {settings.SMS_BACKEND!r}."
        ) from None

"""A person's browser against a server the tests started (gunicorn): a ``requests``
session that sends Django's CSRF token, comes from a loopback address of its own (limits
per address then treat each simulated person as a person) and times every request."""

import time
from collections.abc import Callable

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

# (kind, HTTP status or None when no answer came, seconds)
Recorder = Callable[[str, int | None, float], None]


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor:
    def __init__(
        self,
        base_url: str,
        *,
        address: str = "127.0.0.1",
        record: Recorder | None = None,
        timeout: float = 60,
    ):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.mount("http://", _FromAddress(address))
        self.record = record or (lambda kind, status, seconds: None)
        self.timeout = timeout

    def use_session_of(self, django_client) -> "Visitor":
        """Carry on the session of a Django test client (``force_login`` and the like)."""
        cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
        self.session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
        return self

    def get(self, path: str, *, kind: str = "other", **kwargs) -> requests.Response:
        return self._request("GET", path, kind, **kwargs)

    def post(self, path: str, data=None, *, kind: str = "other", **kwargs) -> requests.Response:
        if settings.CSRF_COOKIE_NAME not in self.session.cookies:
            self.get(path, kind=kind)  # as a browser shows the form before sending it
        headers = {"X-CSRFToken": self.session.cookies.get(settings.CSRF_COOKIE_NAME)}
        return self._request("POST", path, kind, data=data, headers=headers, **kwargs)

    def _request(self, method: str, path: str, kind: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                allow_redirects=False,
                timeout=self.timeout,
                **kwargs,
            )
        except requests.RequestException:
            self.record(kind, None, time.monotonic() - started)
            raise
        self.record(kind, response.status_code, time.monotonic() - started)
        return response

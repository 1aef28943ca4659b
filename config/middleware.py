"""Request id and the one access-log line written for each request."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.cache import patch_cache_control

from .logging import request_id_var

logger = logging.getLogger("guichet.request")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from a trusted proxy's X-Request-ID when well formed),
    returns it in the response and logs one line: method, path, status, duration.

    The query string is not logged: it may carry personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class NoStoreForSessionsMiddleware:
    """Pages answered to a request that carries a session (logged in, tracking a demande
    without an account, a login in progress) are never stored by a browser or a proxy.

    Placed after SessionMiddleware; static files (whitenoise) are answered before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Logging in, tracking and the login stages all write to the session: a request
        # with a session key is one of them (no database read needed to know it).
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

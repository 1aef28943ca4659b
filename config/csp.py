"""The Content-Security-Policy of the Wagtail admin (docs/adr/0203-wagtail-admin-csp.md).

``FederationFormActionMiddleware`` adds the identity federations' origins to
``form-action`` (ADR 0312): a browser enforces that directive on the redirects that follow
a form too, and the FranceConnect button and the logout button are forms whose answer
redirects to the federation.

The public policy (``CONTENT_SECURITY_POLICY``) applies to the admin too, with one
exception: the preview panel frames a preview of the page being edited, served by the
admin itself. Wagtail marks exactly those views frameable by their own origin
(``X-Frame-Options: SAMEORIGIN``); under the admin prefix this middleware gives them the
same answer in CSP, ``frame-ancestors 'self'``. Nothing else is loosened: Wagtail's
inline scripts are replaced by template overrides and a static file (``cms/admin/init.js``).
"""

from functools import cache
from urllib.parse import urlsplit

from csp.constants import HEADER, SELF
from django.conf import settings
from django.urls import reverse


@cache
def admin_prefix() -> str:
    """Where the Wagtail admin is mounted (``/cms-admin/``), read from the URLconf."""
    return reverse("wagtailadmin_home")


class AdminPreviewFramingMiddleware:
    """Lets a Wagtail admin view that declared itself frameable by its own origin be framed
    by its own origin under CSP as well. Must sit after ``csp.middleware.CSPMiddleware``.

    A page preview is rendered by Wagtail through the middleware stack again, with a
    request for the page's public path: it comes back with the public policy already set
    (and the nonce its scripts use), so only its ``frame-ancestors`` is rewritten.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(admin_prefix())
            and response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        ):
            if HEADER in response:
                response[HEADER] = _with_frame_ancestors_self(response[HEADER])
            else:
                replace = dict(getattr(response, "_csp_replace", None) or {})
                replace["frame-ancestors"] = [SELF]
                response._csp_replace = replace
        return response


def _with_frame_ancestors_self(policy: str) -> str:
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    kept = [d for d in directives if d.split()[0].lower() != "frame-ancestors"]
    return "; ".join([*kept, f"frame-ancestors {SELF}"])


def federation_origins() -> list[str]:
    """The origins of the configured federations' issuers (their authorisation and
    end-session endpoints live there)."""
    origins = []
    for config in settings.GUICHET_FEDERATIONS.values():
        if config.get("issuer"):
            parts = urlsplit(config["issuer"])
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


class FederationFormActionMiddleware:
    """Lets forms of the portal lead to the identity federations (login, logout).
    Must sit after ``csp.middleware.CSPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = federation_origins()
        if origins and HEADER not in response:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response

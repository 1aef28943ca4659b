"""Token authentication, scopes and the per-token rate limit of /api/v1/ (ADR 0500)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from identity import ratelimit

from . import selectors, services
from .models import PREFIX, ApiToken

RATE_LIMIT = "api_token"


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer gch_…``. ``request.user`` is the token's creator (the actor
    of instruct calls), ``request.auth`` the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed(_("En-tête Authorization invalide."))
        secret = parts[1]
        token = selectors.token_by_secret(secret) if secret.startswith(PREFIX) else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton inconnu, expiré ou révoqué."))
        services.token_touch(token=token)
        return token.created_by, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": f"{PREFIX}…"}


class HasToken(permissions.BasePermission):
    """Every /api/v1/ endpoint needs an active token (read scope is implied)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class CanInstruct(permissions.BasePermission):
    message = _("Ce jeton n'a pas le droit d'instruire.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken) and request.auth.can_instruct


class TokenRateThrottle(throttling.BaseThrottle):
    """Per token, through identity.ratelimit (Redis, or each process's memory with half
    the allowance while Redis is down): the limit ``api_token`` of GUICHET_RATE_LIMITS."""

    def allow_request(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return True
        key = str(request.auth.pk)
        self._wait = ratelimit.wait_seconds(RATE_LIMIT, key)
        if self._wait:
            return False
        ratelimit.hit(RATE_LIMIT, key)
        return True

    def wait(self):
        return self._wait

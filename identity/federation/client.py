"""OpenID Connect with a federation, through authlib (ADR 0312).

authlib keeps the single-use ``state`` and the ``nonce`` in the session, checks the ID
token's signature against the provider's JWKS (fetched again when a token names an unknown
key: rotation), and its ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``; we add ``acr``.
Userinfo may come as plain JSON or, as FranceConnect v2 sends it, as a JWT signed with the
same keys: joserfc (authlib's JOSE library) checks it. Nothing here decodes a JWT by hand.
"""

import json
from dataclasses import dataclass
from functools import lru_cache

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from .config import Federation

TIMEOUT_SECONDS = 10


class FederationError(Exception):
    """The federation's answer cannot be trusted or did not arrive: no one is logged in."""


@dataclass(frozen=True)
class Assertion:
    """What the federation vouched for in one login."""

    issuer: str
    subject: str
    claims: dict  # userinfo, checked
    id_token: str  # kept for the logout's id_token_hint
    acr: str
    amr: tuple[str, ...]


@lru_cache(maxsize=8)
def _client(federation: Federation):
    """One authlib client per configuration and process: it keeps the discovery document
    and the JWKS between requests."""
    registry = OAuth()
    return registry.register(
        name=federation.name,
        client_id=federation.client_id,
        client_secret=federation.client_secret,
        server_metadata_url=federation.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": " ".join(federation.scopes),
            "token_endpoint_auth_method": "client_secret_post",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def authorize_redirect(request, federation: Federation, *, redirect_uri: str):
    """The redirection to the federation's authorisation endpoint (new state and nonce)."""
    try:
        return _client(federation).authorize_redirect(
            request,
            redirect_uri,
            acr_values=" ".join(federation.acr_values),
            # FranceConnect and ProConnect send amr only when it is asked for this way.
            claims=json.dumps({"id_token": {"amr": {"essential": True}}}),
        )
    except (OAuthError, requests.RequestException, ValueError) as exc:
        raise FederationError(str(exc)) from exc


def complete(request, federation: Federation) -> Assertion:
    """Check the callback's state, exchange its code and check what comes back."""
    client = _client(federation)
    try:
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": federation.issuer},
                "acr": {"essential": True, "values": list(federation.accepted_acr)},
            },
            leeway=settings.GUICHET_FEDERATION_LEEWAY_SECONDS,
        )
        id_claims = token.get("userinfo")
        if not id_claims:
            raise FederationError("no ID token")
        claims = _userinfo(client, federation, token)
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        raise FederationError(f"{type(exc).__name__}: {exc}") from exc
    if claims.get("sub") != id_claims["sub"]:
        raise FederationError("userinfo is about someone else")
    return Assertion(
        issuer=federation.issuer,
        subject=id_claims["sub"],
        claims=claims,
        id_token=token["id_token"],
        acr=id_claims.get("acr", ""),
        amr=tuple(id_claims.get("amr") or ()),
    )


def _userinfo(client, federation: Federation, token: dict) -> dict:
    metadata = client.load_server_metadata()
    response = client.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if media_type != "application/jwt":
        return response.json()
    algorithms = [
        alg
        for alg in metadata.get("userinfo_signing_alg_values_supported") or ["RS256", "ES256"]
        if alg != "none"
    ]
    try:
        signed = jwt.decode(
            response.text, KeySet.import_key_set(client.fetch_jwk_set()), algorithms=algorithms
        )
    except InvalidKeyIdError:
        signed = jwt.decode(
            response.text,
            KeySet.import_key_set(client.fetch_jwk_set(force=True)),
            algorithms=algorithms,
        )
    JWTClaimsRegistry(
        leeway=settings.GUICHET_FEDERATION_LEEWAY_SECONDS,
        iss={"essential": True, "value": federation.issuer},
        aud={"essential": True, "value": federation.client_id},
    ).validate(signed.claims)
    return dict(signed.claims)


def logout_redirect(request, federation: Federation, *, id_token: str, redirect_uri: str):
    """The redirection to the federation's end_session_endpoint; authlib keeps the state."""
    try:
        return _client(federation).logout_redirect(
            request, post_logout_redirect_uri=redirect_uri, id_token_hint=id_token
        )
    except (OAuthError, requests.RequestException, RuntimeError) as exc:
        raise FederationError(str(exc)) from exc


def logout_complete(request, federation: Federation) -> None:
    """Check the state the federation sends back after its logout."""
    try:
        _client(federation).validate_logout_response(request)
    except OAuthError as exc:
        raise FederationError(str(exc)) from exc

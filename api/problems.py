"""Errors as problem details (RFC 9457): ``type``, ``title``, ``status``, ``detail``, with
the title in French or English after Accept-Language (LocaleMiddleware).

The titles are kept here in both languages rather than in the gettext catalogues: they
are part of the API's contract, and a client may rely on them verbatim.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://guichet.example/api/problemes/"

TITLES = {
    400: ("requete-invalide", "Requête invalide", "Invalid request"),
    401: ("authentification", "Authentification requise", "Authentication required"),
    403: ("interdit", "Action interdite", "Forbidden"),
    404: ("introuvable", "Ressource introuvable", "Not found"),
    405: ("methode", "Méthode non autorisée", "Method not allowed"),
    406: ("format", "Format non disponible", "Not acceptable"),
    409: ("conflit", "Conflit", "Conflict"),
    415: ("type-de-contenu", "Type de contenu non pris en charge", "Unsupported media type"),
    429: ("trop-de-requetes", "Trop de requêtes", "Too many requests"),
    503: ("indisponible", "Service momentanément indisponible", "Service unavailable"),
}


def title_for(status_code: int) -> tuple[str, str]:
    slug, french, english = TITLES.get(status_code, ("erreur", "Erreur", "Error"))
    english_first = (get_language() or "fr").startswith("en")
    return TYPE_BASE + slug, english if english_first else french


def problem(status_code: int, detail, *, errors=None, headers=None) -> Response:
    type_, title = title_for(status_code)
    body = {"type": type_, "title": title, "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def handler(exc, context):
    """DRF's exception handler, answering every error as a problem."""
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(errors)
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate")}
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            _first_message(exc.detail),
            errors=_flat(exc.detail),
            headers=headers,
        )
    detail = getattr(exc, "detail", "") or ""
    if isinstance(exc, Http404):
        detail = ""
    if isinstance(exc, DjangoPermissionDenied):
        detail = ""
    _, title = title_for(response.status_code)
    return problem(response.status_code, detail or title, headers=headers)


def _flat(detail) -> dict:
    if isinstance(detail, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
    if isinstance(detail, list):
        return {"detail": [str(m) for m in detail]}
    return {"detail": [str(detail)]}


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


# The status codes every operation may answer, documented in the schema (api/schema.py).
COMMON = (
    status.HTTP_401_UNAUTHORIZED,
    status.HTTP_403_FORBIDDEN,
    status.HTTP_404_NOT_FOUND,
    status.HTTP_406_NOT_ACCEPTABLE,
    status.HTTP_429_TOO_MANY_REQUESTS,
)

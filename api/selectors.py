"""Reads of the API, scoped to who asks: a démarche administrator on the token pages, a
token on /api/v1/. Anything outside their reach is a 404 (ADR 0500)."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from cases import numbers
from cases.administration.selectors import (  # noqa: F401 -- used as api.selectors.*
    may_administer,
    procedure_administered,
    procedures_administered,
)
from cases.models import Case, CaseFile, CaseMessage, Procedure
from identity.models import User

from .models import ApiToken, token_hash


def administers(user: User, procedure: Procedure) -> bool:
    return user.is_authenticated and (
        user.is_superuser or procedure.administrators.filter(pk=user.pk).exists()
    )


def instructs(user: User, procedure: Procedure) -> bool:
    return procedure.service.instructors.filter(pk=user.pk).exists()


def tokens_of_procedure(procedure: Procedure):
    return (
        ApiToken.objects.filter(procedures=procedure)
        .select_related("created_by")
        .prefetch_related("procedures")
    )


def token_of_procedure(*, procedure: Procedure, token_id: int) -> ApiToken:
    token = tokens_of_procedure(procedure).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def token_by_secret(secret: str) -> ApiToken | None:
    """The active token with that secret, else None. A deactivated account's tokens stop
    with it: the token acts in its creator's name."""
    token = (
        ApiToken.objects.select_related("created_by").filter(key_hash=token_hash(secret)).first()
    )
    if token is None or not token.is_active(timezone.now()) or not token.created_by.is_active:
        return None
    return token


# --- Reads of a token: only its démarches, never a draft nor a demande in the trash ------


def procedures_for_token(token: ApiToken):
    return (
        Procedure.objects.filter(api_tokens=token)
        .select_related("service")
        .prefetch_related("versions")
        .order_by("slug")
    )


def procedure_for_token(*, token: ApiToken, slug: str) -> Procedure:
    procedure = procedures_for_token(token).filter(slug=slug).first()
    if procedure is None:
        raise Http404
    return procedure


def cases_for_token(token: ApiToken):
    return (
        Case.objects.exclude(status=Case.Status.DRAFT)
        .filter(procedure__api_tokens=token, trashed_at__isnull=True)
        .select_related("procedure", "version")
    )


def case_for_token(*, token: ApiToken, number: str) -> Case:
    normalised = numbers.normalise(number)
    case = cases_for_token(token).filter(number=normalised).first() if normalised else None
    if case is None:
        raise Http404
    return case


def case_file_for_token(*, case: Case, file_id) -> CaseFile:
    file = CaseFile.objects.filter(case=case, pk=file_id).select_related("case__data_key").first()
    if file is None:
        raise Http404
    return file


def case_details(case: Case) -> dict:
    """Files, timeline, discussion and avis of one demande. The service's own token sees
    every avis, confidential ones included (as the instructors' page)."""
    from workflows.avis.selectors import avis_for_case

    thread = list(
        CaseMessage.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(Prefetch("files", queryset=CaseFile.objects.order_by("created_at")))
    )
    return {
        "files": list(case.files.all()),
        "events": list(case.events.all()),
        "thread": thread,
        "avis": avis_for_case(case=case),
    }

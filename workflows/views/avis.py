"""The instructor's side of the expert opinions: ask, remind, withdraw, read the answer
files (ADR 0408). Every view is under /instruction/ (staff-area rule) and reaches the
demande through ``case_for_instructor``: another service's demande is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from locker.inspection import download_response
from workflows import selectors
from workflows.avis import selectors as avis_selectors
from workflows.avis import services as avis_services
from workflows.avis.forms import AvisRequestForm

from . import case as case_views
from .common import instructor_required


def _back(case):
    return redirect(reverse("workflows:case", args=[case.number]) + "#avis")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@instructor_required
def avis_ask(request, number):
    case = selectors.case_for_instructor(user=request.user, number=number)
    form = AvisRequestForm(request.POST, case_files=list(case.files.all()), prefix="avis")
    if not form.is_valid():
        return case_views._page(request, case, status=400, avis_form=form)
    data = form.cleaned_data
    try:
        avis_services.avis_ask(
            case=case,
            user=request.user,
            email=data["email"],
            question=data["question"],
            due_on=data["due_on"],
            yes_no=data["yes_no"],
            confidential=data["confidential"],
            shared_file_ids=data.get("shared_files", []),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back(case)
    messages.success(
        request, _("La demande d'avis est envoyée à %(email)s.") % {"email": data["email"]}
    )
    return _back(case)


def _act_on_avis(request, number, avis_id, service, done: str):
    """One button on a pending avis (remind, withdraw): the service, then its message."""
    case = selectors.case_for_instructor(user=request.user, number=number)
    avis = avis_selectors.avis_of_case(case=case, avis_id=avis_id)
    try:
        service(avis=avis, user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return _back(case)


@require_POST
@instructor_required
def avis_remind(request, number, avis_id):
    return _act_on_avis(
        request,
        number,
        avis_id,
        avis_services.avis_remind,
        _("L'expert est relancé par courriel."),
    )


@require_POST
@instructor_required
def avis_revoke(request, number, avis_id):
    return _act_on_avis(
        request,
        number,
        avis_id,
        avis_services.avis_revoke,
        _("La demande d'avis est retirée. L'expert n'a plus accès."),
    )


@instructor_required
def avis_answer_file(request, number, avis_id, file_id):
    case = selectors.case_for_instructor(user=request.user, number=number)
    avis = avis_selectors.avis_of_case(case=case, avis_id=avis_id)
    file = avis_selectors.answer_file_of(avis=avis, file_id=file_id)
    content = avis_services.avis_file_content(file)
    return download_response(content, filename=file.name, mime=file.mime)

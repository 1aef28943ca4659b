"""The expert's side of the expert opinions (ADR 0408): the emailed link (single use,
rate-limited), their avis, the files the instructor shared, and the answer with files.

An expert reaches only the avis given to their own account while it is awaited or
answered (``avis_for_expert``): another avis, a withdrawn or closed one, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import services as case_services
from identity import ratelimit
from locker import vault
from locker.inspection import download_response
from locker.intake import inspect_files, upload_intake
from workflows.avis import selectors, services
from workflows.avis.forms import AvisAnswerForm, ExpertEnrolForm

LINK_LIMIT = "avis_link_ip"


def _refused(request, reason: str, status: int = 404):
    return render(request, "workflows/avis/link_refused.html", {"reason": reason}, status=status)


def _detail_url(avis) -> str:
    return reverse("workflows:avis_detail", args=[avis.pk])


@require_http_methods(["GET", "POST"])
def avis_invitation(request, token):
    """The emailed link. A link that does not check out counts against the IP (the
    identity rate limits); a genuine one is used once: it binds the avis to an account."""
    limits = [(LINK_LIMIT, ratelimit.client_ip(request))]
    if ratelimit.blocked(limits):
        return _refused(request, "blocked", status=429)
    avis, reason = services.avis_from_token(token)
    if reason == "invalid":
        ratelimit.hit_all(limits)
    if reason != "ok":
        return _refused(request, reason)
    context = {"avis": avis, "case": avis.case}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != avis.email.lower():
            return render(request, "workflows/avis/link_other_account.html", context)
        if request.method == "POST":
            if not services.avis_link_accept(avis=avis, user=user):
                return _refused(request, "used")
            return redirect(_detail_url(avis))
        return render(request, "workflows/avis/link_accept.html", context)
    if services.avis_account_exists(avis):
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "workflows/avis/link_log_in.html", context)
    form = ExpertEnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.avis_expert_enrol(avis=avis, password=form.cleaned_data["password1"]) is None:
            return _refused(request, "used")
        messages.success(
            request,
            _(
                "Votre compte est créé. Connectez-vous avec votre adresse et votre mot de "
                "passe : un code vous sera envoyé par courriel."
            ),
        )
        return redirect(f"{reverse('account_login')}?next={_detail_url(avis)}")
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "workflows/avis/link_enrol.html", context, status=status)


@login_required
def avis_list(request):
    avis_list = selectors.avis_of_expert(user=request.user)
    return render(request, "workflows/avis/expert_list.html", {"avis_list": avis_list})


def _detail(request, avis, *, form=None, refusals=(), status=200):
    context = {
        "avis": avis,
        "case": avis.case,
        "form": form or AvisAnswerForm(yes_no=avis.yes_no),
        "refusals": refusals,
    }
    return render(request, "workflows/avis/expert_detail.html", context, status=status)


@login_required
def avis_detail(request, avis_id):
    return _detail(request, selectors.avis_for_expert(user=request.user, avis_id=avis_id))


@upload_intake("demande")
@require_POST
@login_required
def avis_answer(request, avis_id):
    """The answer, with files (inspection context "demande", as the discussion)."""
    avis = selectors.avis_for_expert(user=request.user, avis_id=avis_id)
    form = AvisAnswerForm(request.POST, yes_no=avis.yes_no)
    results, refusals = inspect_files(request, "files", context="demande")
    if not form.is_valid() or refusals:
        return _detail(request, avis, form=form, refusals=refusals, status=400)
    try:
        services.avis_answer(
            avis=avis,
            user=request.user,
            answer=form.cleaned_data["answer"],
            choice=form.cleaned_data.get("choice", ""),
            results=results,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(avis))
    except vault.StorageUnavailableError:
        messages.error(request, vault.UNAVAILABLE_MESSAGE)
        return _detail(request, avis, form=form, status=503)
    messages.success(request, _("Votre avis est envoyé au service. Merci."))
    return redirect(_detail_url(avis))


@login_required
def avis_shared_file(request, avis_id, file_id):
    avis = selectors.avis_for_expert(user=request.user, avis_id=avis_id)
    case_file = selectors.shared_file_for_expert(avis=avis, file_id=file_id)
    content = case_services.case_file_content(case_file)
    return download_response(content, filename=case_file.name, mime=case_file.mime)

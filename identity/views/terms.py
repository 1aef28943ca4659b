"""The terms of use and charters: public pages with their history, and the login stage
where a person accepts the versions published since their last login (ADR 0310)."""

from allauth.account.stages import LoginStageController
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from identity.models import Space, TermsVersion
from identity.selectors import terms_current, terms_published, terms_to_accept
from identity.services import terms_accept
from identity.stages import TermsStage
from identity.terms_text import render as render_text


def _current_charters() -> list[TermsVersion]:
    """The current charter of each kind of space that has one (listed on the CGU page)."""
    current = (
        terms_current(kind=TermsVersion.Kind.CHARTER, space_kind=space_kind)
        for space_kind in Space.Kind.values
    )
    return [charter for charter in current if charter is not None]


def _document(request, *, kind: str, space_kind: str, version: str | None):
    history = list(terms_published(kind=kind, space_kind=space_kind))
    if version is None:
        shown = history[0] if history else None
    else:
        shown = next((item for item in history if item.version == version), None)
    if shown is None:
        raise Http404
    position = history.index(shown)
    return render(
        request,
        "identity/terms.html",
        {
            "shown": shown,
            "body": render_text(shown.body),
            "is_current": position == 0,
            "replaced_on": history[position - 1].published_at if position else None,
            "current": history[0],
            "history": history,
            "charters": _current_charters() if kind == TermsVersion.Kind.CGU else [],
        },
    )


@require_GET
def terms(request, version: str | None = None):
    return _document(request, kind=TermsVersion.Kind.CGU, space_kind="", version=version)


@require_GET
def charter(request, space_kind: str, version: str | None = None):
    if space_kind not in Space.Kind.values:
        raise Http404
    return _document(
        request, kind=TermsVersion.Kind.CHARTER, space_kind=space_kind, version=version
    )


@require_http_methods(["GET", "POST"])
def terms_accept_stage(request):
    """The last login stage: accept what was published since, or leave without logging in.

    The form names the versions it showed; only those are accepted. If another one was
    published meanwhile, the page comes back with it.
    """
    stage = LoginStageController.enter(request, TermsStage.key)
    if stage is None:
        return redirect("account_login")
    user = stage.login.user
    pending = terms_to_accept(user=user)
    if not pending:  # accepted meanwhile (another tab)
        return stage.exit()
    if request.method == "POST":
        if request.POST.get("decision") == "refuse":
            logout(request)  # ends the pending login and everything in the session
            messages.warning(
                request,
                _(
                    "Connexion annulée : le service ne s'utilise qu'après acceptation des "
                    "conditions. Vous pourrez les accepter à votre prochaine connexion."
                ),
            )
            return redirect("account_login")
        if request.POST.get("decision") == "accept":
            shown = set(request.POST.getlist("terms"))
            for version in pending:
                if str(version.pk) in shown:
                    terms_accept(user=user, terms=version)
            pending = terms_to_accept(user=user)
            if not pending:
                return stage.exit()
    return render(
        request,
        "identity/terms_accept.html",
        {"pending": [(version, render_text(version.body, top=3)) for version in pending]},
    )

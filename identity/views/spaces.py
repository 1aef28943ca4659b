"""“Mes espaces”: switch space, add an association, become manager of a pre-registered
organisation by its member number, leave an organisation (ADR 0308)."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from identity import ratelimit
from identity.adapter import too_many_attempts
from identity.models import Space
from identity.organisation_forms import CharterForm, ClaimForm, OrganisationForm
from identity.selectors import (
    current_membership,
    organisation_claimable,
    organisation_spaces_allowed,
    space_activate,
    space_managers,
    space_personal_for,
    switchable_memberships,
)
from identity.services import (
    LastManagerError,
    membership_leave,
    organisation_claim,
    organisation_create,
)

CLAIM_SESSION_KEY = "guichet_claim_space"
# One answer for every number that leads nowhere: no organisation is named.
UNKNOWN_NUMBER = gettext_lazy(
    "Ce numéro ne permet pas de devenir gestionnaire. Vérifiez-le sur le courrier de "
    "l'organisme qui vous l'a donné."
)


@login_required
def space_list(request):
    return render(
        request,
        "identity/spaces/list.html",
        {"memberships": switchable_memberships(request), "current": current_membership(request)},
    )


@login_required
@require_POST
def space_switch(request):
    """Work in another of one's spaces: remembered in the session, no new login."""
    wanted = request.POST.get("space", "")
    membership = next(
        (m for m in switchable_memberships(request) if str(m.space_id) == wanted), None
    )
    if membership is None:
        raise Http404
    if not membership.space.is_personal and not organisation_spaces_allowed(request):
        return render(
            request,
            "identity/spaces/needs_own_login.html",
            {"space": membership.space},
            status=403,
        )
    space_activate(request, membership.space)
    messages.info(
        request,
        _("Vous êtes dans l'espace « %(name)s ».") % {"name": membership.space.display_name},
    )
    return redirect(_same_page_or_my_cases(request, request.POST.get("next", "")))


def _same_page_or_my_cases(request, target: str) -> str:
    """Stay on a page of the whole space (a list); a page of one object of the former
    space would be a 404 in the new one: go to "Mes démarches" instead."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        try:
            match = resolve(urlsplit(target).path)
        except Resolver404:
            match = None
        if match is not None and not match.kwargs:
            return target
    return reverse("cases:my_cases")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        space = organisation_create(user=request.user, **form.cleaned_data)
        space_activate(request, space)
        messages.success(
            request,
            _("L'espace « %(name)s » est créé. Vous en êtes le gestionnaire.") % {"name": space},
        )
        return redirect("identity:spaces")
    return render(request, "identity/spaces/organisation_add.html", {"form": form})


def _claim_limits(request) -> list[tuple[str, str]]:
    return [
        ("org_claim_account", str(request.user.pk)),
        ("org_claim_ip", ratelimit.client_ip(request)),
    ]


def _already_managed(request, space: Space):
    """The organisation has a manager: no way to claim it, only whom to ask."""
    return render(
        request,
        "identity/spaces/organisation_managed.html",
        {"space": space, "managers": list(space_managers(space=space))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_claim_start(request):
    """Step 1: the member number. A number that leads nowhere and a number of an
    organisation that has a manager both count towards the limits."""
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limits = _claim_limits(request)
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            space = organisation_claimable(member_number=form.cleaned_data["member_number"])
            if space is None:
                ratelimit.hit_all(limits)
                form.add_error("member_number", UNKNOWN_NUMBER)
            elif space_managers(space=space).exists():
                ratelimit.hit_all(limits)
                return _already_managed(request, space)
            else:
                request.session[CLAIM_SESSION_KEY] = space.pk
                return redirect("identity:organisation_claim_confirm")
    status = 400 if form.errors else 200
    return render(request, "identity/spaces/claim.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_claim_confirm(request):
    """Step 2: the organisation found, the charter to accept, the button."""
    space = Space.objects.filter(
        pk=request.session.get(CLAIM_SESSION_KEY), kind=Space.Kind.ORGANISATION
    ).first()
    if space is None:
        return redirect("identity:organisation_claim")
    if space_managers(space=space).exists():
        request.session.pop(CLAIM_SESSION_KEY, None)
        return _already_managed(request, space)
    form = CharterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        membership = organisation_claim(user=request.user, space=space)
        request.session.pop(CLAIM_SESSION_KEY, None)
        if membership is None:
            return _already_managed(request, space)
        space_activate(request, space)
        messages.success(
            request,
            _("Vous êtes gestionnaire de « %(name)s ». Vous pouvez inviter ses membres.")
            % {"name": space.name},
        )
        return redirect("identity:spaces")
    return render(request, "identity/spaces/claim_confirm.html", {"form": form, "space": space})


@login_required
@require_http_methods(["GET", "POST"])
def space_leave(request):
    """Leave the current organisation space (its last manager cannot)."""
    membership = current_membership(request)
    if membership.space.is_personal:
        raise Http404
    if request.method == "POST":
        try:
            membership_leave(membership=membership)
        except LastManagerError as error:
            messages.error(request, error.messages[0])
            return redirect("identity:spaces")
        space_activate(request, space_personal_for(user=request.user))
        messages.success(
            request, _("Vous avez quitté l'espace « %(name)s ».") % {"name": membership.space}
        )
        return redirect("identity:spaces")
    return render(request, "identity/spaces/leave.html", {"membership": membership})

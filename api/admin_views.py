"""The démarche administrators' area (/administration/, a staff area: app or card login,
registered in apps.py): the démarches they administer and each one's API tokens."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from identity.staff import staff_area_required

from . import selectors, services
from .forms import TokenForm

administrator_required = staff_area_required(selectors.may_administer)


@administrator_required
def index(request):
    procedures = selectors.procedures_administered(request.user)
    return render(request, "api/administration.html", {"procedures": procedures})


@administrator_required
def tokens(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    administered = list(selectors.procedures_administered(request.user))
    form = TokenForm(
        request.POST or None, procedures=administered, initial={"procedures": [procedure.pk]}
    )
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [p for p in administered if p.pk in form.cleaned_data["procedures"]]
            try:
                _token, secret = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    procedures=chosen,
                    can_instruct=form.cleaned_data["can_instruct"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    target = "expires_on" if field == "expires_at" else field
                    for message in errors:
                        form.add_error(target if target in form.fields else None, message)
            except PermissionDenied:
                form.add_error("procedures", _("Vous n'administrez pas l'une de ces démarches."))
        if secret is None:
            status = 400
        else:
            form = TokenForm(procedures=administered, initial={"procedures": [procedure.pk]})
    context = {
        "procedure": procedure,
        "tokens": selectors.tokens_of_procedure(procedure),
        "form": form,
        "secret": secret,
    }
    # Sessions' pages are already "private, no-store" (config.middleware): the secret
    # shown once is kept by no cache.
    return render(request, "api/tokens.html", context, status=status)


@require_POST
@administrator_required
def token_revoke(request, slug, token_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    token = selectors.token_of_procedure(procedure=procedure, token_id=token_id)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect(reverse("api:tokens", args=[procedure.slug]))

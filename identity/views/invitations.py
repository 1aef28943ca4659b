"""An invited person's way in: the emailed link, then either their usual login, or a first
connection with the code sent by SMS to the mobile the manager typed (ADR 0308)."""

import secrets

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from identity import ratelimit
from identity.adapter import too_many_attempts
from identity.models import SecurityEvent
from identity.organisation_forms import FirstConnectionForm
from identity.selectors import second_factor_remember, space_activate
from identity.services import (
    invitation_accept,
    invitation_code_send,
    invitation_first_connection,
    security_event_record,
)
from identity.services.invitations import (
    invitation_account_exists,
    invitation_code_sent,
    invitation_from_token,
)

ATTEMPT_SESSION_KEY = "guichet_invitation_attempt"
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _invalid(request):
    return render(request, "identity/invitations/invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = invitation_from_token(token)
    if invitation is None:
        return _invalid(request)
    user = request.user
    context = {"invitation": invitation, "token": token}
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "identity/invitations/other_account.html", context)
        if request.method == "POST":
            membership = invitation_accept(invitation=invitation, user=user)
            if membership is None:
                return _invalid(request)
            space_activate(request, membership.space)
            messages.success(
                request,
                _("Vous avez rejoint l'espace « %(name)s ».") % {"name": invitation.space.name},
            )
            return redirect("identity:spaces")
        return render(request, "identity/invitations/accept.html", context)
    if invitation_account_exists(invitation):
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "identity/invitations/log_in.html", context)
    return render(request, "identity/invitations/first_connection.html", context)


def _attempt(request, invitation) -> str:
    """The attempt id binding this session's SMS code to this invitation."""
    stored = request.session.get(ATTEMPT_SESSION_KEY) or {}
    if stored.get("invitation") != invitation.pk:
        stored = {"invitation": invitation.pk, "attempt": secrets.token_urlsafe(32)}
        request.session[ATTEMPT_SESSION_KEY] = stored
    return stored["attempt"]


@require_POST
def invitation_send_code(request, token):
    invitation = invitation_from_token(token)
    if invitation is None or request.user.is_authenticated:
        return _invalid(request)
    if invitation_account_exists(invitation):
        return redirect("identity:invitation", token=token)
    limits = [("invitation_code_send", str(invitation.pk))]
    wait = ratelimit.blocked(limits)
    if wait:
        messages.error(request, too_many_attempts(wait).messages[0])
        return redirect("identity:invitation", token=token)
    if not invitation_code_send(
        invitation=invitation, attempt=_attempt(request, invitation), request=request
    ):
        messages.error(
            request,
            _("Trop de codes ont été envoyés pour cette adresse. Réessayez dans une heure."),
        )
        return redirect("identity:invitation", token=token)
    ratelimit.hit_all(limits)
    messages.info(
        request,
        _("Un code vient d'être envoyé par SMS au numéro se terminant par %(end)s.")
        % {"end": invitation.phone[-2:]},
    )
    return redirect("identity:invitation_code", token=token)


@require_http_methods(["GET", "POST"])
def invitation_code(request, token):
    """Link + SMS code: the person chooses a password, and is logged in."""
    invitation = invitation_from_token(token)
    if invitation is None or request.user.is_authenticated:
        return _invalid(request)
    attempt = _attempt(request, invitation)
    if not invitation_code_sent(invitation=invitation, attempt=attempt):
        return redirect("identity:invitation", token=token)
    form = FirstConnectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limits = [
            ("code_check_account", f"invitation:{invitation.pk}"),
            ("code_check_ip", ratelimit.client_ip(request)),
        ]
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            result, user = invitation_first_connection(
                invitation=invitation,
                attempt=attempt,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
            )
            if result == "ok":
                request.session.pop(ATTEMPT_SESSION_KEY, None)
                auth_login(request, user, backend=BACKEND)
                second_factor_remember(request, method="code")
                security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN, request=request)
                space_activate(request, invitation.space)
                return redirect("identity:invitation_welcome")
            ratelimit.hit_all(limits)
            if result == "void":
                form.add_error(
                    "code", _("Ce code n'est plus valable. Demandez un nouveau code ci-dessous.")
                )
            else:
                form.add_error("code", _("Ce code n'est pas le bon. Vérifiez-le et réessayez."))
    context = {"form": form, "invitation": invitation, "token": token}
    return render(
        request, "identity/invitations/code.html", context, status=400 if form.errors else 200
    )


@login_required
def invitation_welcome(request):
    """After a first connection: how to log in next time (an app, or a card the manager
    links)."""
    return render(request, "identity/invitations/welcome.html")

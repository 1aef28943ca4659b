"""Logging in through FranceConnect (applicants) and ProConnect (agents) (ADR 0312).

The callback checks what the federation says (``identity.federation.client``), then logs
the person in through allauth's own login flow, so the portal's stages still run: the
terms to accept, and the second factor unless the federation vouched for one
(``identity.stages``). A matching email never links an identity: the person logs in to
that account first, then confirms the link.
"""

import logging
import time

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import Login
from allauth.account.views import LogoutView as AllauthLogoutView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from identity.federation import client
from identity.federation.config import Federation, federation
from identity.models import FederatedIdentity, User
from identity.selectors import (
    FEDERATED_LOGIN_SESSION_KEY,
    FEDERATION_MFA,
    FRANCECONNECT,
)
from identity.services import (
    FederationRefusedError,
    federated_account_create,
    federated_identity_link,
    federated_identity_unlink,
    federated_login_record,
)
from identity.services.federation import birth_date
from identity.stages import FEDERATION_STATE_KEY

logger = logging.getLogger(__name__)

FLOW_SESSION_KEY = "guichet_federation_flow"
PENDING_LINK_SESSION_KEY = "guichet_federation_pending_link"
PENDING_LINK_SECONDS = 15 * 60


def _configured(provider: str) -> Federation:
    configured = federation(provider)
    if configured is None:
        raise Http404
    return configured


def _absolute(request, name: str, provider: str) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"provider": provider}))


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _begin(request, fed: Federation, *, purpose: str, next_url: str = ""):
    request.session[FLOW_SESSION_KEY] = {
        "provider": fed.name,
        "purpose": purpose,
        "user": request.user.pk if request.user.is_authenticated else None,
        "next": next_url,
    }
    try:
        return client.authorize_redirect(
            request, fed, redirect_uri=_absolute(request, "identity:federation_callback", fed.name)
        )
    except client.FederationError:
        logger.warning("federation %s unreachable", fed.name, exc_info=True)
        return _failed(request, fed, status=503)


def _failed(request, fed: Federation, *, status: int = 400, reason: str = ""):
    return render(
        request,
        "identity/federation/failed.html",
        {"federation": fed, "reason": reason},
        status=status,
    )


@require_POST
def login_start(request, provider: str):
    """The FranceConnect (or ProConnect) button of the login and sign-up pages."""
    fed = _configured(provider)
    return _begin(
        request, fed, purpose="login", next_url=_safe_next(request, request.POST.get("next", ""))
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def link_start(request, provider: str):
    """Link the account one is logged in to (after entering one's password again)."""
    fed = _configured(provider)
    if request.method == "POST":
        return _begin(request, fed, purpose="link")
    return render(request, "identity/federation/link_start.html", {"federation": fed})


@require_GET
def callback(request, provider: str):
    fed = _configured(provider)
    flow = request.session.pop(FLOW_SESSION_KEY, None)
    if request.GET.get("error"):
        # The person cancelled at the federation (or it refused): nothing happened here.
        messages.info(request, _("La connexion avec %(name)s a été annulée.") % {"name": fed.label})
        return redirect("identity:security" if request.user.is_authenticated else "account_login")
    if flow is None or flow["provider"] != fed.name:
        return _failed(request, fed)
    try:
        assertion = client.complete(request, fed)
    except client.FederationError as exc:
        logger.warning("federation %s answer refused: %s", fed.name, exc)
        return _failed(request, fed)
    if flow["purpose"] == "link":
        if not request.user.is_authenticated or request.user.pk != flow["user"]:
            return _failed(request, fed)
        _link(request, fed, assertion.issuer, assertion.subject, assertion.claims)
        return redirect("identity:security")
    return _login(request, fed, assertion, next_url=flow["next"])


def _link(request, fed: Federation, issuer: str, subject: str, claims: dict) -> bool:
    try:
        federated_identity_link(
            user=request.user,
            provider=fed.name,
            issuer=issuer,
            subject=subject,
            claims=claims,
            request=request,
        )
    except FederationRefusedError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(
        request,
        _("Votre compte est relié à %(name)s. Vous pourrez l'utiliser pour vous connecter.")
        % {"name": fed.label},
    )
    return True


def _login(request, fed: Federation, assertion, *, next_url: str):
    identity = (
        FederatedIdentity.objects.select_related("user")
        .filter(issuer=assertion.issuer, subject=assertion.subject)
        .first()
    )
    if identity is None:
        email = (assertion.claims.get("email") or "").strip()
        owner = User.objects.filter(email__iexact=email).first() if email else None
        if owner is not None:
            request.session[PENDING_LINK_SESSION_KEY] = {
                "provider": fed.name,
                "issuer": assertion.issuer,
                "subject": assertion.subject,
                "claims": assertion.claims,
                "at": time.time(),
            }
            return render(
                request, "identity/federation/link_needed.html", {"federation": fed, "email": email}
            )
        if fed.for_agents:
            return render(
                request, "identity/federation/no_account.html", {"federation": fed}, status=403
            )
        try:
            user = federated_account_create(
                issuer=assertion.issuer,
                subject=assertion.subject,
                claims=assertion.claims,
                request=request,
            )
        except FederationRefusedError as exc:
            return _failed(request, fed, status=403, reason=str(exc))
        identity = user.federated_identities.get()
    federated_login_record(identity=identity, claims=assertion.claims)
    if fed.name == FederatedIdentity.Provider.FRANCECONNECT:
        second_factor = FRANCECONNECT
    elif fed.proves_second_factor(acr=assertion.acr, amr=assertion.amr):
        second_factor = FEDERATION_MFA
    else:
        second_factor = None  # the account's own code is asked (staff: its app or card)
    login = Login(
        user=identity.user,
        email=identity.user.email,
        redirect_url=next_url or None,
        state={
            FEDERATION_STATE_KEY: {
                "second_factor": second_factor,
                "session": {"provider": fed.name, "id_token": assertion.id_token},
            }
        },
    )
    return perform_login(request, login)


@login_required
@require_http_methods(["GET", "POST"])
def link_confirm(request):
    """After logging in to the account that has the federation's email: link it, if the
    owner says so."""
    pending = request.session.get(PENDING_LINK_SESSION_KEY)
    if not pending or time.time() - pending["at"] > PENDING_LINK_SECONDS:
        request.session.pop(PENDING_LINK_SESSION_KEY, None)
        messages.error(request, _("Cette demande de liaison a expiré. Recommencez."))
        return redirect("identity:security")
    fed = _configured(pending["provider"])
    if request.method == "POST":
        request.session.pop(PENDING_LINK_SESSION_KEY)
        if request.POST.get("confirm") == "yes":
            _link(request, fed, pending["issuer"], pending["subject"], pending["claims"])
        return redirect("identity:security")
    claims = pending["claims"]
    # Who the federation identified, so that the owner links only their own identity.
    who = " ".join(
        part
        for part in (
            claims.get("given_name"),
            claims.get("family_name") or claims.get("usual_name"),
        )
        if part
    )
    return render(
        request,
        "identity/federation/link_confirm.html",
        {
            "federation": fed,
            "who": who or claims.get("email", ""),
            "birthdate": birth_date(claims.get("birthdate")),
        },
    )


@login_required
@require_POST
def unlink(request, provider: str):
    label = (
        FederatedIdentity.Provider(provider).label
        if provider in FederatedIdentity.Provider.values
        else None
    )
    if label is None:
        raise Http404
    try:
        federated_identity_unlink(user=request.user, provider=provider, request=request)
    except FederationRefusedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Le lien avec %(name)s est retiré.") % {"name": label})
    return redirect("identity:security")


class LogoutView(AllauthLogoutView):
    """allauth's logout, then the federation's own (end_session_endpoint) when it logged
    this session in: ``id_token_hint``, and a ``state`` kept in the new session."""

    def post(self, *args, **kwargs):
        request = self.request
        federated = request.session.get(FEDERATED_LOGIN_SESSION_KEY)
        response = super().post(*args, **kwargs)
        fed = federated and federation(federated["provider"])
        if not fed:
            return response
        request.session[FLOW_SESSION_KEY] = {"provider": fed.name, "next": response.url}
        try:
            return client.logout_redirect(
                request,
                fed,
                id_token=federated["id_token"],
                redirect_uri=_absolute(request, "identity:federation_logout_done", fed.name),
            )
        except client.FederationError:
            logger.warning("federation %s logout unreachable", fed.name, exc_info=True)
            return response


@require_GET
def logout_done(request, provider: str):
    """Where the federation sends the person back after its own logout."""
    fed = _configured(provider)
    flow = request.session.pop(FLOW_SESSION_KEY, None) or {}
    try:
        client.logout_complete(request, fed)
    except client.FederationError:
        return _failed(request, fed)
    messages.success(request, _("Vous êtes aussi déconnecté de %(name)s.") % {"name": fed.label})
    return redirect(_safe_next(request, flow.get("next", "")) or "/")

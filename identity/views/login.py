"""Pages of the login journey that allauth does not provide: the second-factor step and
"send me a new activation link"."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.account.stages import LoginStageController
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from identity import ratelimit
from identity.adapter import too_many_attempts
from identity.forms import ResendActivationForm, SecondFactorForm
from identity.models import SecurityEvent
from identity.selectors import login_code_sent, second_factor_remember, totp_devices_for
from identity.services import (
    login_code_issue,
    login_code_verify,
    recovery_code_use,
    security_event_record,
    totp_code_check,
)
from identity.stages import FEDERATION_STATE_KEY, SecondFactorStage

CARD_RESYNC_MESSAGE = _lazy(
    "Votre carte OTP semble décalée dans le temps. Attendez que la carte affiche un "
    "nouveau code, puis saisissez ce nouveau code."
)


def _check_code(request, stage, code: str) -> str:
    """ "ok", "wrong", "void" (emailed/SMS code: ask for a new one) or "next" (a drifted
    OTP card: type its next code to resynchronise it)."""
    user = stage.login.user
    if stage.state["method"] == "totp":
        if not (code.isdigit() and len(code) == 6):
            return "ok" if recovery_code_use(user=user, code=code, request=request) else "wrong"
        result = "wrong"
        for device in totp_devices_for(user=user):
            checked = totp_code_check(device=device, code=code)
            if checked == "ok":
                return "ok"
            result = "next" if checked == "next" else result
        return result
    return login_code_verify(user=user, attempt=stage.state["attempt"], code=code)


@require_http_methods(["GET", "POST"])
def second_factor(request):
    stage = LoginStageController.enter(request, SecondFactorStage.key)
    if stage is None:
        return redirect("account_login")
    user = stage.login.user
    limits = [("code_check_account", str(user.pk)), ("code_check_ip", ratelimit.client_ip(request))]
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    code_refused = ""
    if stage.state["method"] == "code":
        form.fields["code"].help_text = _("Les 6 chiffres reçus.")
        if not login_code_sent(user=user, attempt=stage.state["attempt"]):
            code_refused = code_send_refused(user).messages[0]
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            result = _check_code(request, stage, form.cleaned_data["code"])
            if result == "ok":
                method = stage.state["method"]
                federation = stage.login.state.get(FEDERATION_STATE_KEY)
                response = stage.exit()
                second_factor_remember(
                    request, method=method, federation=federation and federation["session"]
                )
                return response
            ratelimit.hit_all(limits)
            security_event_record(
                user=user, kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request
            )
            if result == "next":
                form.add_error("code", CARD_RESYNC_MESSAGE)
            elif result == "void":
                form.add_error(
                    "code",
                    _("Ce code n'est plus valable. Demandez un nouveau code ci-dessous."),
                )
            else:
                form.add_error("code", _("Ce code n'est pas le bon. Vérifiez-le et réessayez."))
    return render(
        request,
        "identity/second_factor.html",
        {
            "form": form,
            "method": stage.state["method"],
            "channel": _channel_label(user),
            "code_refused": code_refused,
        },
    )


def code_send_refused(user):
    wait = ratelimit.blocked([("code_send", str(user.pk))])
    return too_many_attempts(wait or 60)


def _channel_label(user) -> str:
    if user.verified_phone:
        return _("par SMS au numéro se terminant par %(end)s") % {"end": user.phone[-2:]}
    return _("par courriel")


@require_POST
def second_factor_resend(request):
    stage = LoginStageController.enter(request, SecondFactorStage.key)
    if stage is None:
        return redirect("account_login")
    user = stage.login.user
    if stage.state["method"] == "code":
        wait = ratelimit.blocked([("code_resend", str(user.pk))])
        if wait:
            messages.error(request, too_many_attempts(wait).messages[0])
        elif login_code_issue(user=user, attempt=stage.state["attempt"], request=request):
            ratelimit.hit("code_resend", str(user.pk))
            messages.info(request, _("Un nouveau code vous a été envoyé. L'ancien ne marche plus."))
        else:
            messages.error(request, code_send_refused(user).messages[0])
    return redirect("identity:second_factor")


@require_http_methods(["GET", "POST"])
def resend_activation(request):
    """Send a new activation link. Same answer whatever the address."""
    form = ResendActivationForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        limits = [
            ("activation_resend", email),
            ("activation_resend_ip", ratelimit.client_ip(request)),
        ]
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            ratelimit.hit_all(limits)
            form.antirobot_record(email)
            cutoff = timezone.now() - timedelta(days=settings.GUICHET_SIGNUP_RESEND_DAYS)
            address = EmailAddress.objects.filter(
                email__iexact=email, verified=False, user__date_joined__gte=cutoff
            ).first()
            if address is not None:
                address.send_confirmation(request, signup=False)
            return render(request, "identity/resend_activation_done.html")
    return render(request, "identity/resend_activation.html", {"form": form})

"""“Connexion et sécurité”: security log, authenticator app, recovery codes, mobile phone,
personal information, account deletion. Every page is the logged-in user's own."""

import segno
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from identity import ratelimit
from identity.adapter import too_many_attempts
from identity.forms import DeleteAccountForm, PhoneForm, ProfileForm, TotpConfirmForm
from identity.models import Profile, TotpDevice
from identity.selectors import (
    federations_for,
    recovery_codes_left,
    security_events_for,
    totp_devices_for,
)
from identity.services import (
    account_delete,
    card_report_lost,
    phone_change_start,
    phone_opt_out,
    phone_verify,
    profile_update,
    recovery_codes_current,
    recovery_codes_regenerate,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
)
from identity.services.second_factor import totp_provisioning_uri, totp_secret

ENROL_SESSION_KEY = "identity_totp_enrol_device"


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "identity/security.html",
        {
            "events": security_events_for(user=user),
            "devices": totp_devices_for(user=user),
            "recovery_left": recovery_codes_left(user=user),
            "federations": federations_for(user=user),
        },
    )


def _pending_device(request):
    device_id = request.session.get(ENROL_SESSION_KEY)
    return TotpDevice.objects.filter(
        pk=device_id, user=request.user, confirmed_at__isnull=True
    ).first()


@login_required
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    device = _pending_device(request) if request.method == "POST" else None
    if device is None:
        device = totp_device_start(user=request.user)
        request.session[ENROL_SESSION_KEY] = device.pk
    form = TotpConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(device=device, code=form.cleaned_data["code"], request=request)
        if codes is not None:
            request.session.pop(ENROL_SESSION_KEY, None)
            return render(request, "identity/recovery_codes.html", {"codes": codes, "new": True})
        form.add_error("code", _("Ce code n'est pas le bon. Saisissez le code affiché maintenant."))
    uri = totp_provisioning_uri(device)
    return render(
        request,
        "identity/totp_enrol.html",
        {
            "form": form,
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "secret": totp_secret(device),
        },
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def totp_remove(request, device_id):
    device = totp_devices_for(user=request.user).filter(pk=device_id).first()
    if device is None:
        raise Http404
    if request.method == "POST":
        if device.kind == TotpDevice.Kind.CARD:
            # A card is the organisation's: removing it means it is lost (never relinked).
            card_report_lost(device=device, by=request.user, request=request)
            messages.success(request, _("La carte OTP est désactivée."))
        else:
            totp_device_remove(user=request.user, device_id=device.pk, request=request)
            messages.success(request, _("L'application d'authentification a été retirée."))
        return redirect("identity:security")
    return render(request, "identity/totp_remove.html", {"device": device})


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if not totp_devices_for(user=request.user).exists():
        return redirect("identity:security")
    if request.method == "POST":
        codes = recovery_codes_regenerate(user=request.user, request=request)
        return render(request, "identity/recovery_codes.html", {"codes": codes, "new": False})
    return render(request, "identity/recovery_codes_confirm.html")


@login_required
@require_POST
def recovery_codes_download(request):
    """The codes just shown, as a text file to keep. The page posts them back (they are
    stored hashed); only the user's own unused codes are written into the file."""
    codes = request.POST.getlist("code")
    if not recovery_codes_current(user=request.user, codes=codes):
        messages.error(
            request,
            _("Ces codes de secours ne sont plus valables. Créez-en de nouveaux si besoin."),
        )
        return redirect("identity:security")
    body = render_to_string(
        "identity/recovery_codes.txt",
        {"codes": codes, "email": request.user.email, "created": timezone.localdate()},
        request=request,
    )
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="codes-de-secours.txt"'
    response["Cache-Control"] = "no-store"
    return response


def _has_phone(request) -> bool:
    return bool(request.user.phone)


@login_required
@reauthentication_required(enabled=_has_phone)
@require_http_methods(["GET", "POST"])
def phone(request):
    """Give a first number freely; changing an existing one needs re-authentication."""
    user = request.user
    form = PhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("no_mobile"):
            phone_opt_out(user=user)
            messages.info(request, _("C'est noté : vos codes vous seront envoyés par courriel."))
            return redirect("identity:security")
        key = str(user.pk)
        wait = ratelimit.blocked([("phone_verify", key)])
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            ratelimit.hit("phone_verify", key)
            phone_change_start(user=user, phone=form.cleaned_data["phone"], request=request)
            return render(
                request, "identity/phone_sent.html", {"phone": form.cleaned_data["phone"]}
            )
    return render(request, "identity/phone.html", {"form": form})


@require_http_methods(["GET", "POST"])
def phone_confirm(request, token):
    """The link sent by SMS. GET shows a button (link scanners must not verify by visiting)."""
    if request.method == "POST":
        user = phone_verify(token=token)
        return render(request, "identity/phone_verified.html", {"ok": user is not None})
    return render(request, "identity/phone_confirm.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        profile_update(user=request.user, data=data)
        messages.success(request, _("Vos informations ont été enregistrées."))
        return redirect("identity:profile")
    return render(request, "identity/profile.html", {"form": form})


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        return render(request, "identity/account_deleted.html")
    return render(request, "identity/delete_account.html", {"form": form})

"""Which messages about their demandes an account holder receives, by email or SMS: one
choice per space, the current one (ADR 0308)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.models import NotificationPreference
from identity.selectors import current_space


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    space = current_space(request)
    saved = {
        p.event: p for p in NotificationPreference.objects.filter(user=request.user, space=space)
    }
    mobile = request.user.verified_phone
    if request.method == "POST":
        for event in NotificationPreference.Event.values:
            NotificationPreference.objects.update_or_create(
                user=request.user,
                space=space,
                event=event,
                defaults={
                    "email": f"email_{event}" in request.POST,
                    "sms": bool(mobile) and f"sms_{event}" in request.POST,
                },
            )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("cases:notification_preferences")
    rows = [
        {
            "event": event,
            "label": label,
            "email": saved[event].email if event in saved else True,
            "sms": saved[event].sms if event in saved else False,
        }
        for event, label in NotificationPreference.Event.choices
    ]
    return render(
        request,
        "cases/notification_preferences.html",
        {"rows": rows, "mobile": mobile, "space": space},
    )

"""Activation of a pre-registered person in three steps (PRODUCT §2.4, ADR 0311):
(1) reference and facts, (2) address and password, (3) the link sent by email.

Wrong facts get one message whatever is wrong, after the same work; failures are limited
per IP and per reference typed (``identity.ratelimit``) and raise the anti-robot check.
"""

import time

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from identity import ratelimit
from identity.activation_forms import CredentialsForm, FactsForm
from identity.adapter import too_many_attempts
from identity.models import PreregisteredPerson
from identity.selectors import preregistered_by_facts
from identity.services import (
    ActivationRefusedError,
    preregistered_activation_complete,
    preregistered_activation_pending,
    preregistered_activation_request,
)

FACTS_CHECKED = "guichet_activation"  # session: the person whose facts were checked
LINK_SENT_TO = "guichet_activation_sent"  # session: the address typed at step 2
FACTS_VALID_SECONDS = 20 * 60


def _step(number: int) -> dict:
    titles = {
        1: _("Votre numéro de référence et vos informations"),
        2: _("Votre adresse électronique et votre mot de passe"),
        3: _("Le lien reçu par courriel"),
    }
    return {
        "number": number,
        "total": len(titles),
        "title": titles[number],
        "next": titles.get(number + 1),
    }


def wrong_facts_message() -> str:
    return _(
        "Ces informations ne correspondent pas à une personne inscrite. Vérifiez votre "
        "numéro de référence et chacune des informations demandées, puis réessayez."
    )


@require_http_methods(["GET", "POST"])
def facts(request):
    form = FactsForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limits = [
            ("preregistered_ip", ratelimit.client_ip(request)),
            ("preregistered_reference", data["reference"]),
        ]
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            person = preregistered_by_facts(
                reference=data["reference"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                extra_fact=data["extra_fact"],
            )
            if person is None:
                ratelimit.hit_all(limits)
                form.antirobot_record(data["reference"])
                form.add_error(None, wrong_facts_message())
            elif person.is_activated:
                return render(request, "identity/activation_already_done.html")
            else:
                request.session[FACTS_CHECKED] = {
                    "person": person.pk,
                    "until": time.time() + FACTS_VALID_SECONDS,
                }
                return redirect("identity:activation_credentials")
    return render(request, "identity/activation_facts.html", {"form": form, "step": _step(1)})


def _checked_person(request) -> PreregisteredPerson | None:
    checked = request.session.get(FACTS_CHECKED)
    if not isinstance(checked, dict) or checked.get("until", 0) < time.time():
        return None
    return PreregisteredPerson.objects.filter(pk=checked.get("person")).first()


@require_http_methods(["GET", "POST"])
def credentials(request):
    person = _checked_person(request)
    if person is None:
        return redirect("identity:activation_facts")
    if person.is_activated:
        return render(request, "identity/activation_already_done.html")
    form = CredentialsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limits = [("preregistered_send", person.reference)]
        wait = ratelimit.blocked(limits)
        if wait:
            form.add_error(None, too_many_attempts(wait))
        else:
            ratelimit.hit_all(limits)
            preregistered_activation_request(
                person=person,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                request=request,
            )
            request.session.pop(FACTS_CHECKED, None)
            request.session[LINK_SENT_TO] = form.cleaned_data["email"]
            return redirect("identity:activation_link_sent")
    return render(request, "identity/activation_credentials.html", {"form": form, "step": _step(2)})


@require_GET
def link_sent(request):
    email = request.session.get(LINK_SENT_TO)
    if not email:
        return redirect("identity:activation_facts")
    return render(
        request,
        "identity/activation_link_sent.html",
        {
            "email": email,
            "days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
            "step": _step(3),
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The emailed link: a page with a button (link scanners cannot activate), then the
    account is created."""
    if request.method == "POST":
        try:
            preregistered_activation_complete(token=token)
        except ActivationRefusedError as refusal:
            if refusal.reason == "activated":
                return render(request, "identity/activation_already_done.html")
            return render(
                request,
                "identity/activation_link_invalid.html",
                {"address_in_use": refusal.reason == "address_in_use"},
                status=404 if refusal.reason == "invalid" else 200,
            )
        request.session.pop(LINK_SENT_TO, None)
        return render(request, "identity/activation_done.html")
    pending = preregistered_activation_pending(token=token)
    if pending is None:
        return render(request, "identity/activation_link_invalid.html", {"address_in_use": False})
    return render(
        request,
        "identity/activation_confirm.html",
        {"email": pending.email, "token": token, "step": _step(3)},
    )

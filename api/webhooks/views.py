"""A démarche administrator's webhook endpoints (ADR 0501). Every view finds its démarche
or endpoint through the selectors, which answer 404 to anyone not administering it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from identity.staff import staff_area_required

from . import selectors, services
from .forms import EndpointForm, EventsForm

staff_only = staff_area_required(selectors.administers_a_procedure)


@staff_only
def endpoint_list(request, slug):
    procedure = selectors.procedure_for_administrator(user=request.user, slug=slug)
    endpoints = selectors.endpoints_with_last_deliveries(procedure=procedure)
    return render(request, "webhooks/list.html", {"procedure": procedure, "endpoints": endpoints})


@staff_only
def endpoint_create(request, slug):
    procedure = selectors.procedure_for_administrator(user=request.user, slug=slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(
            procedure=procedure,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
            user=request.user,
        )
        # Shown once, on this answer only: never stored in the session or a URL.
        response = render(
            request, "webhooks/created.html", {"procedure": procedure, "endpoint": endpoint}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "webhooks/form.html", {"procedure": procedure, "form": form})


@staff_only
def endpoint_edit(request, slug, pk):
    endpoint = selectors.endpoint_for_administrator(user=request.user, slug=slug, pk=pk)
    initial = {"events": endpoint.events, "description": endpoint.description}
    form = EventsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(
            endpoint=endpoint,
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Les événements envoyés ont été enregistrés."))
        return redirect("api:webhooks:list", slug=slug)
    return render(
        request,
        "webhooks/form.html",
        {"procedure": endpoint.procedure, "endpoint": endpoint, "form": form},
    )


@staff_only
@require_POST
def endpoint_toggle(request, slug, pk):
    endpoint = selectors.endpoint_for_administrator(user=request.user, slug=slug, pk=pk)
    if endpoint.enabled:
        services.endpoint_disable(endpoint=endpoint, reason=_("Désactivé par un administrateur"))
        messages.success(request, _("L'adresse est désactivée : plus rien ne lui est envoyé."))
    else:
        services.endpoint_enable(endpoint=endpoint)
        messages.success(request, _("L'adresse est réactivée."))
    return redirect("api:webhooks:list", slug=slug)


@staff_only
def endpoint_delete(request, slug, pk):
    endpoint = selectors.endpoint_for_administrator(user=request.user, slug=slug, pk=pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("L'adresse et son journal d'envois ont été supprimés."))
        return redirect("api:webhooks:list", slug=slug)
    return render(
        request,
        "webhooks/delete.html",
        {"procedure": endpoint.procedure, "endpoint": endpoint},
    )


@staff_only
@require_POST
def endpoint_test(request, slug, pk):
    endpoint = selectors.endpoint_for_administrator(user=request.user, slug=slug, pk=pk)
    if not endpoint.enabled:
        messages.error(request, _("Réactivez l'adresse avant de lui envoyer un test."))
        return redirect("api:webhooks:list", slug=slug)
    services.test_event_send(endpoint=endpoint)
    messages.success(
        request,
        _("Un événement de test est envoyé ; son résultat s'affiche dans le journal."),
    )
    return redirect("api:webhooks:log", slug=slug, pk=pk)


@staff_only
def endpoint_log(request, slug, pk):
    endpoint = selectors.endpoint_for_administrator(user=request.user, slug=slug, pk=pk)
    return render(
        request,
        "webhooks/log.html",
        {
            "procedure": endpoint.procedure,
            "endpoint": endpoint,
            "deliveries": selectors.delivery_log(endpoint=endpoint),
        },
    )

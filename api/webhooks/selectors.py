"""Reads for the webhook pages, with their authorisation: only an administrator of the
démarche (``Procedure.administrators``) sees its endpoints; anyone else gets a 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cases.models import Procedure

from .models import Attempt, Delivery, Endpoint


def administers_a_procedure(user) -> bool:
    """Who may enter the webhook pages at all (a staff area: app or card login)."""
    return user.is_authenticated and Procedure.objects.filter(administrators=user).exists()


def procedure_for_administrator(*, user, slug: str) -> Procedure:
    return get_object_or_404(Procedure, slug=slug, administrators=user)


def endpoint_for_administrator(*, user, slug: str, pk: int) -> Endpoint:
    return get_object_or_404(
        Endpoint.objects.select_related("procedure"),
        pk=pk,
        procedure__slug=slug,
        procedure__administrators=user,
    )


def endpoints_with_last_deliveries(*, procedure: Procedure, last: int = 5) -> list[Endpoint]:
    endpoints = list(Endpoint.objects.filter(procedure=procedure))
    for endpoint in endpoints:
        endpoint.last_deliveries = list(endpoint.deliveries.order_by("-created_at")[:last])
    return endpoints


def delivery_log(*, endpoint: Endpoint, limit: int = 100) -> list[Delivery]:
    return list(
        endpoint.deliveries.order_by("-created_at").prefetch_related(
            Prefetch("attempt_log", queryset=Attempt.objects.order_by("at", "id"))
        )[:limit]
    )

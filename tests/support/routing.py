"""A heating aid routed by département (ADR 0023): "75" goes to the Paris service, "69"
to the Rhône service, any other answer to the démarche's own service (action-sociale)."""

from cases.models import Procedure, RoutingRule, Service
from cases.services import procedure_publish_version

DEPARTEMENT = {
    "name": "departement",
    "type": "choice",
    "label": "Département",
    "choices": ["13", "69", "75"],
}


def route_by_departement(procedure: Procedure) -> tuple[Service, Service]:
    """Add the question, publish it, and the two rules; returns (Paris, Rhône)."""
    procedure.definition = [*procedure.definition, DEPARTEMENT]
    procedure.save(update_fields=["definition"])
    procedure_publish_version(procedure=procedure)
    paris = Service.objects.create(name="Service de Paris", slug="paris")
    rhone = Service.objects.create(name="Service du Rhône", slug="rhone")
    RoutingRule.objects.create(
        procedure=procedure, position=0, field_name="departement", value="75", service=paris
    )
    RoutingRule.objects.create(
        procedure=procedure, position=1, field_name="departement", value="69", service=rhone
    )
    return paris, rhone

"""Where the events come from: the timeline rows the lower layers write in the
transaction of each business change (``cases.CaseEvent``, ``workflows.avis.AvisEvent``).
Listening to their ``post_save`` writes the deliveries in that same transaction, and the
lower layers never import this app (ADR 0501)."""

from cases.models import CaseEvent
from workflows.avis.models import AvisEvent

from .models import EventType
from .services import event_emit

STATE_KINDS = {CaseEvent.Kind.STATUS, CaseEvent.Kind.DECISION, CaseEvent.Kind.REOPENED}


def case_event_type(event: CaseEvent) -> str | None:
    if event.kind == CaseEvent.Kind.SUBMITTED:
        return EventType.SUBMITTED
    if event.kind == CaseEvent.Kind.MESSAGE and event.actor_role == CaseEvent.Role.APPLICANT:
        return EventType.REPLIED
    if event.kind in STATE_KINDS:
        return EventType.STATE_CHANGED
    return None


def on_case_event(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    type = case_event_type(instance)
    if type is not None:
        case = instance.case
        event_emit(procedure_id=case.procedure_id, type=type, case=case)


def on_avis_event(sender, instance: AvisEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.kind != AvisEvent.Kind.ANSWERED:
        return
    case = instance.avis.case
    event_emit(procedure_id=case.procedure_id, type=EventType.AVIS_ANSWERED, case=case)

"""The activity log of an organisation space: who did what, to whom."""

from identity.models import Space, SpaceEvent, User


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def space_event_record(
    *,
    space: Space,
    kind: str,
    actor: User | None = None,
    subject: User | None = None,
    detail: str = "",
) -> SpaceEvent:
    return SpaceEvent.objects.create(
        space=space,
        kind=kind,
        actor=actor,
        actor_name=person_name(actor),
        subject_name=person_name(subject),
        detail=str(detail)[:200],
    )

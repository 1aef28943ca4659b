"""Reads scoped to a user."""

from .models import Space, User


def space_personal_for(*, user: User) -> Space:
    return Space.objects.get(kind=Space.Kind.PERSONAL, memberships__user=user)


def spaces_for(*, user: User):
    return Space.objects.filter(memberships__user=user).order_by("kind", "name")

"""Reads scoped to a space: another space's document is a 404, never a 403."""

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from identity.models import Space

from .models import Document, SpaceLocker

SORTS = {
    "titre": ("title",),
    "ajout": ("-created_at",),
    "expiration": ("expires_on", "title"),
}


def documents_for(*, space: Space, sort: str = "titre") -> QuerySet[Document]:
    return Document.objects.filter(space=space).order_by("kind", *SORTS.get(sort, SORTS["titre"]))


def document_get(*, space: Space, document_id) -> Document:
    return get_object_or_404(Document, space=space, pk=document_id)


def usage_for(*, space: Space) -> tuple[int, int]:
    """(bytes used, quota in bytes)."""
    used = SpaceLocker.objects.filter(space=space).values_list("used_bytes", flat=True).first()
    return used or 0, settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES

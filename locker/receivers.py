from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import vault
from .models import Document


@receiver(post_delete, sender=Document, dispatch_uid="locker_document_bytes")
def remove_stored_bytes(sender, instance, **kwargs):
    """A deleted document's bytes leave the storage once the deletion commits, whether
    it was deleted alone or with its space (space or account deletion)."""
    vault.delete_on_commit([instance.storage_key])

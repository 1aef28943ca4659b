"""Encrypted document bytes in the ``private`` storage alias."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from . import crypto
from .models import SpaceLocker

PREFIX = "locker"


def private_storage():
    return storages["private"]


def data_key(locker: SpaceLocker) -> bytes:
    return crypto.unwrap(
        locker.wrapped_key, space_id=locker.space_id, master_key_id=locker.master_key_id
    )


def blob_write(locker: SpaceLocker, content: bytes) -> str:
    """Encrypt and store; returns the generated storage key (never from the file name)."""
    key = f"{PREFIX}/{locker.space_id}/{uuid.uuid4().hex}"
    blob = crypto.encrypt(content, data_key=data_key(locker), storage_key=key)
    saved = private_storage().save(key, ContentFile(blob))
    if saved != key:  # a UUID collision would be a bug, never silently another name
        private_storage().delete(saved)
        raise RuntimeError("storage renamed a generated key")
    return key


def blob_read(locker: SpaceLocker, storage_key: str) -> bytes:
    with private_storage().open(storage_key, "rb") as handle:
        blob = handle.read()
    return crypto.decrypt(blob, data_key=data_key(locker), storage_key=storage_key)


def blob_delete(storage_key: str) -> None:
    private_storage().delete(storage_key)

"""The vault: the only code that reads or writes private bytes (ADR 0104).

Every private file — porte-documents documents, demande files, discussion attachments,
decision letters, exports — is stored here, encrypted with AES-GCM under the data key of
its holder: a space's porte-documents (``SpaceLocker``) or a ``DataKey`` (one per demande,
one per export). Storage names are generated (``<prefix>/<uuid>``), never a user's.

- ``put`` encrypts and stores, ``read`` decrypts, ``delete_on_commit`` removes bytes once
  the transaction that forgot them commits (and never if it rolls back).
- ``sweep`` removes stored objects no row points at (a transaction rolled back after its
  bytes were written, a crash between the two), under every prefix an app registered.
- ``rewrap_all`` re-wraps every data key with the current master key (rotation).
- ``raw`` returns the stored ciphertext, for audits, tests and the encryption of files an
  older version stored in clear (``encrypt_clear``).
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Protocol

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import crypto
from .models import DataKey, SpaceLocker

logger = logging.getLogger(__name__)

# What a person reads when the storage does not answer: nothing was sent, nothing is lost.
UNAVAILABLE_MESSAGE = _(
    "Nous ne pouvons pas enregistrer les fichiers pour le moment. Rien n'a été envoyé et "
    "votre texte est conservé. Réessayez dans quelques minutes."
)

# Errors of the file system or of S3 (connection refused, timeout, 5xx).
_STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageUnavailableError(Exception):
    """The private storage did not answer. Callers roll back and show
    ``UNAVAILABLE_MESSAGE``: no row may point at bytes that were not stored."""


ALIAS = "private"  # for tests that write what an older version stored


class Holder(Protocol):
    """A row holding a wrapped data key: ``SpaceLocker`` or ``DataKey``."""

    wrapped_key: bytes
    master_key_id: str

    @property
    def holder(self) -> str: ...


def _storage():
    return storages["private"]  # the one place (git grep 'storages\["private"\]')


def _data_key(holder: Holder) -> bytes:
    return crypto.unwrap(
        holder.wrapped_key, holder=holder.holder, master_key_id=holder.master_key_id
    )


def data_key_new() -> DataKey:
    """A new holder for files that belong to no porte-documents."""
    key = DataKey(id=uuid.uuid4())
    key.wrapped_key, key.master_key_id = crypto.wrap(crypto.new_data_key(), holder=key.holder)
    key.save(force_insert=True)
    return key


def put(holder: Holder, content: bytes, *, prefix: str, suffix: str = "") -> str:
    """Encrypt and store ``content``; returns the generated storage key. Raises
    ``StorageUnavailableError`` when the storage does not answer."""
    key = f"{prefix}/{uuid.uuid4().hex}{suffix}"
    blob = crypto.encrypt(content, data_key=_data_key(holder), storage_key=key)
    try:
        saved = _storage().save(key, ContentFile(blob))
    except _STORAGE_ERRORS as error:
        logger.warning("private storage unavailable", extra={"storage_key": key})
        raise StorageUnavailableError from error
    if saved != key:  # a UUID collision would be a bug, never silently another name
        _storage().delete(saved)
        raise RuntimeError("storage renamed a generated key")
    return key


def read(holder: Holder, storage_key: str) -> bytes:
    return crypto.decrypt(raw(storage_key), data_key=_data_key(holder), storage_key=storage_key)


def raw(storage_key: str) -> bytes:
    """The bytes as stored (ciphertext, or clear for a file not yet encrypted)."""
    with _storage().open(storage_key, "rb") as handle:
        return handle.read()


def stored(storage_key: str) -> bool:
    """Whether the storage holds an object under this key."""
    return _storage().exists(storage_key)


def is_encrypted(storage_key: str) -> bool:
    with _storage().open(storage_key, "rb") as handle:
        return handle.read(len(crypto.MAGIC)) == crypto.MAGIC


def delete(storage_key: str) -> None:
    _storage().delete(storage_key)


def delete_on_commit(storage_keys: Iterable[str]) -> None:
    keys = [key for key in storage_keys if key]
    transaction.on_commit(lambda: [delete(key) for key in keys])


def encrypt_clear(holder: Holder, storage_key: str, *, prefix: str) -> str:
    """Store an encrypted copy of a file an older version stored in clear; returns the
    new key. The caller points its row at it, then deletes the old key on commit."""
    return put(holder, raw(storage_key), prefix=prefix)


def probe() -> None:
    """Raise unless the private storage answers (for /healthz)."""
    _storage().exists("healthz-probe")


# --- Orphans: every prefix, each with the rows that point into it --------------------------

# prefix -> the model whose rows' ``storage_key`` point into it
_owners: dict[str, type[Model]] = {}


def register_owner(prefix: str, model: type[Model]) -> None:
    """Declare that stored objects under ``prefix`` belong to rows of ``model`` (by their
    ``storage_key``). Each app calls it from its ``ready()``."""
    _owners[prefix] = model


def _walk(prefix: str):
    try:
        folders, names = _storage().listdir(prefix)
    except FileNotFoundError:
        return
    for name in names:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from _walk(f"{prefix}/{folder}")


def sweep(*, older_than_seconds: int) -> int:
    """Delete stored objects older than the grace period that no row points at."""
    limit = timezone.now() - timedelta(seconds=older_than_seconds)
    removed = 0
    for prefix, model in sorted(_owners.items()):
        keys = set(_walk(prefix))
        pointed = model.objects.filter(storage_key__in=keys).values_list("storage_key", flat=True)
        known = set(pointed)
        for key in sorted(keys - known):
            if _storage().get_modified_time(key) <= limit:
                delete(key)
                removed += 1
                logger.info("removed orphan stored object", extra={"storage_key": key})
    return removed


# --- Rotation -----------------------------------------------------------------------------


def rewrap_all() -> int:
    """Re-wrap every data key (porte-documents and others) still wrapped by a retired
    master key with the current one. File bytes are not touched. Returns the count."""
    current, _known = crypto.master_keys()
    current_id = crypto.key_id(current)
    count = 0
    for model in (SpaceLocker, DataKey):
        for pk in model.objects.exclude(master_key_id=current_id).values_list("pk", flat=True):
            with transaction.atomic():
                row = model.objects.select_for_update().get(pk=pk)
                if row.master_key_id == current_id:
                    continue
                row.wrapped_key, row.master_key_id = crypto.wrap(_data_key(row), holder=row.holder)
                row.rotated_at = timezone.now()
                row.save(update_fields=["wrapped_key", "master_key_id", "rotated_at"])
                count += 1
    return count


__all__ = [
    "ALIAS",
    "UNAVAILABLE_MESSAGE",
    "StorageUnavailableError",
    "data_key_new",
    "delete",
    "delete_on_commit",
    "encrypt_clear",
    "is_encrypted",
    "probe",
    "put",
    "raw",
    "read",
    "register_owner",
    "rewrap_all",
    "stored",
    "sweep",
]

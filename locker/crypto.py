"""Envelope encryption of document bytes (docs/adr/0103-locker-encryption.md).

Each holder of private files — a space's porte-documents, a demande, an export — has a
random 256-bit data key, stored only wrapped (AES-GCM) by the master key from settings.
Files are encrypted with AES-GCM under their holder's key; the storage key is the
associated data, so a ciphertext cannot be swapped for another file's. Rotating the master
key re-wraps the data keys; file bytes are not touched. ``locker.vault`` is the only user.
"""

import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"GLK1"
NONCE = 12


def _decode(value: str) -> bytes:
    key = base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4))
    if len(key) != 32:
        raise ImproperlyConfigured("A locker master key is 32 bytes, base64-encoded.")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"guichet-locker" + key).hexdigest()[:16]


def master_keys() -> tuple[bytes, dict[str, bytes]]:
    """The current master key and every known key (current and retired) by id."""
    current = _decode(settings.GUICHET_LOCKER_MASTER_KEY)
    known = {key_id(current): current}
    for old in settings.GUICHET_LOCKER_OLD_MASTER_KEYS:
        key = _decode(old)
        known[key_id(key)] = key
    return current, known


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(data_key: bytes, *, holder: str) -> tuple[bytes, str]:
    """Wrap a data key with the current master key, bound to its holder (``space:12``,
    ``datakey:<uuid>``): a wrapped key copied to another holder does not unwrap."""
    current, _ = master_keys()
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(current).encrypt(nonce, data_key, holder.encode()), key_id(current)


def unwrap(wrapped: bytes, *, holder: str, master_key_id: str) -> bytes:
    _, known = master_keys()
    try:
        master = known[master_key_id]
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"Master key {master_key_id} is not configured (GUICHET_LOCKER_OLD_MASTER_KEYS)."
        ) from exc
    wrapped = bytes(wrapped)
    return AESGCM(master).decrypt(wrapped[:NONCE], wrapped[NONCE:], holder.encode())


def encrypt(content: bytes, *, data_key: bytes, storage_key: str) -> bytes:
    nonce = os.urandom(NONCE)
    return MAGIC + nonce + AESGCM(data_key).encrypt(nonce, content, storage_key.encode())


def decrypt(blob: bytes, *, data_key: bytes, storage_key: str) -> bytes:
    if not blob.startswith(MAGIC):
        raise ValueError("not a locker ciphertext")
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE]
    return AESGCM(data_key).decrypt(nonce, blob[len(MAGIC) + NONCE :], storage_key.encode())

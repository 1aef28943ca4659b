"""Encryption of TOTP secrets and keyed hashes of short secrets.

TOTP secrets are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). The key comes from
``GUICHET_TOTP_ENCRYPTION_KEY``: a comma-separated list of passphrases, the first one
encrypts, all of them decrypt (key rotation). Each passphrase is stretched to a Fernet key
with SHA-256, so any long random string works.

Codes (6 digits) and recovery codes are stored as HMAC-SHA256 keyed with SECRET_KEY: a
database dump alone is not enough to brute-force six digits.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare, salted_hmac


def _fernet() -> MultiFernet:
    raw = getattr(settings, "GUICHET_TOTP_ENCRYPTION_KEY", "") or ""
    passphrases = [p.strip() for p in raw.split(",") if p.strip()]
    if not passphrases or any(len(p) < 32 for p in passphrases):
        raise ImproperlyConfigured(
            "GUICHET_TOTP_ENCRYPTION_KEY must hold at least one passphrase of 32+ characters."
        )
    keys = [base64.urlsafe_b64encode(hashlib.sha256(p.encode()).digest()) for p in passphrases]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 hex of ``value``, domain-separated by ``purpose``."""
    return salted_hmac(f"guichet.identity.{purpose}", value, algorithm="sha256").hexdigest()


def keyed_hash_matches(value: str, digest: str, *, purpose: str) -> bool:
    return constant_time_compare(keyed_hash(value, purpose=purpose), digest)

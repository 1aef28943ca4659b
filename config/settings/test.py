"""Test defaults: embedded services unless the environment names real ones."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
# Tests open and close connections per test and per live-server thread.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
# One key prefix per test run (inherited by the worker and server processes it starts):
# runs sharing a Redis server never read or delete each other's keys.
os.environ.setdefault("REDIS_KEY_PREFIX", f"guichet-test-{os.getpid()}-{os.urandom(3).hex()}")
# Under pytest-xdist each worker (gw0, gw1…) has its own keys, bucket and files, as
# pytest-django gives it its own test database. The processes a worker starts inherit the
# suffixed names (and the marker, so they are not suffixed twice).
_xdist = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist and os.environ.get("GUICHET_XDIST_ISOLATED") != _xdist:
    os.environ["GUICHET_XDIST_ISOLATED"] = _xdist
    os.environ["REDIS_KEY_PREFIX"] += f"-{_xdist}"
    if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        os.environ["AWS_STORAGE_BUCKET_NAME"] += f"-{_xdist}"
    if os.environ.get("GUICHET_VAR_DIR"):
        os.environ["GUICHET_VAR_DIR"] = os.path.join(os.environ["GUICHET_VAR_DIR"], _xdist)
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("GUICHET_TOTP_ENCRYPTION_KEY", "test-only-totp-key-0123456789abcdef012345678")
os.environ.setdefault("ALTCHA_HMAC_KEY", "test-only-altcha-hmac-key-0123456789abcdef")
# Locker master key for this environment only (public, never for production).
os.environ.setdefault("GUICHET_LOCKER_MASTER_KEY", "Ti-J-E66R98WVCXnpUtDbDpzp2yrtbPRCbhv2OSNuVc=")

from .base import *  # noqa: E402 -- the environment above is read by base

# Argon2 is deliberately slow; tests hash many passwords. Production keeps Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# No collectstatic in tests: files are looked up on request where they live (the finders),
# also by the journeys' gunicorn, which has no runserver or live-server static handler.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The webhook tests' receiver listens on a loopback port (ADR 0501).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

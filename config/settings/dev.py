"""Embedded defaults for a developer machine: only environment defaults, then base."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Plain names: no collectstatic needed before runserver (production hashes them).
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("GUICHET_TOTP_ENCRYPTION_KEY", "dev-only-totp-key-0123456789abcdef0123456789")
os.environ.setdefault("ALTCHA_HMAC_KEY", "dev-only-altcha-hmac-key-0123456789abcdef")
# Locker master key for this environment only (public, never for production).
os.environ.setdefault("GUICHET_LOCKER_MASTER_KEY", "1e72YOUlSpH3WcE3XAnBQLOALT8PLrmGsheuAOs6gQs=")

from .base import *

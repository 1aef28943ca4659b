"""Embedded defaults for a developer machine: only environment defaults, then base."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Locker master key for this environment only (public, never for production).
os.environ.setdefault("GUICHET_LOCKER_MASTER_KEY", "1e72YOUlSpH3WcE3XAnBQLOALT8PLrmGsheuAOs6gQs=")

from .base import *

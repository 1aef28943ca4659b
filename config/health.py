"""``GET /healthz``: is every service this instance depends on reachable?

Each check answers "ok", "error" or "not_configured"; the body never carries
connection strings or exception text (they can hold secrets).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from locker import vault

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    if hasattr(cache, "ping"):  # Redis itself, not the in-memory fallback
        cache.ping()
        return
    cache.set("healthz", "1", timeout=5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value written")


def _broker():
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage():
    vault.probe()


def _run(name, check):
    try:
        check()
    except Exception:
        logger.warning("health check failed", extra={"check": name}, exc_info=True)
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": _run("database", _database),
        "cache": _run("cache", _cache),
        "broker": (
            "not_configured" if settings.CELERY_TASK_ALWAYS_EAGER else _run("broker", _broker)
        ),
        "storage": _run("storage", _storage),
    }
    healthy = all(value != "error" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )

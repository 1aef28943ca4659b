"""The cache backend: Redis, and this process's memory while Redis cannot be reached.

Every use of the cache keeps working during a Redis outage (docs/adr/0017-redis-outage.md):
pure caches (Wagtail's site root, pages) see misses and refill in memory; security counters
(identity.ratelimit, allauth's limits, ALTCHA escalation) keep counting in memory, with a
tighter limit (``identity.ratelimit`` halves each limit while ``degraded``). After an error,
Redis is tried again every ``RETRY_AFTER`` seconds, so an outage costs one failed call per
process and period, never a timeout per request.
"""

import logging
import time

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Shared by every thread of the process (LocMemCache storage is global per name).
FALLBACK_NAME = "guichet-redis-fallback"
FALLBACK_MAX_ENTRIES = 20_000

# Per process: when Redis last failed (monotonic clock) and when to try it again.
_down_until = {"at": 0.0}


def _delegated(method: str):
    def call(self, *args, **kwargs):
        return self._call(method, *args, **kwargs)

    call.__name__ = method
    return call


class ResilientRedisCache(BaseCache):
    """``RedisCache`` with this process's memory as a fallback store.

    ``OPTIONS["retry_after"]`` (seconds, default 10) is read here; the other options go to
    Django's Redis client as usual.
    """

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 10))
        self.redis = RedisCache(server, {**params, "OPTIONS": options})
        self.memory = LocMemCache(
            FALLBACK_NAME, {**params, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}}
        )

    @property
    def degraded(self) -> bool:
        """True while this process keeps the cache in memory, Redis being unreachable."""
        return time.monotonic() < _down_until["at"]

    def _call(self, method: str, *args, **kwargs):
        if not self.degraded:
            try:
                return getattr(self.redis, method)(*args, **kwargs)
            except RedisError:
                _down_until["at"] = time.monotonic() + self.retry_after
                logger.warning(
                    "Redis unreachable: this process keeps the cache in memory",
                    extra={"retry_after": self.retry_after},
                )
        return getattr(self.memory, method)(*args, **kwargs)

    def ping(self) -> None:
        """Raise unless Redis itself answers (for /healthz: the fallback does not count)."""
        self.redis._cache.get_client().ping()

    add = _delegated("add")
    get = _delegated("get")
    set = _delegated("set")
    touch = _delegated("touch")
    delete = _delegated("delete")
    get_many = _delegated("get_many")
    set_many = _delegated("set_many")
    delete_many = _delegated("delete_many")
    has_key = _delegated("has_key")
    incr = _delegated("incr")

    def clear(self) -> None:
        """Remove this cache's own keys: those of its ``KEY_PREFIX`` and version. Other
        users of the Redis database keep theirs — another CI run's cache, the Celery
        broker's queues (``global_keyprefix``). Without a prefix the database is the
        cache's alone, and it is emptied as Django's ``clear()`` does."""
        self.memory.clear()
        if not self.redis.key_prefix:
            self._call("clear")
            return
        if self.degraded:
            return
        try:
            client = self.redis._cache.get_client(write=True)
            keys = list(client.scan_iter(match=self.redis.make_key("*"), count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        except RedisError:
            _down_until["at"] = time.monotonic() + self.retry_after


__all__ = ["ResilientRedisCache"]

"""Rate limits with exponential back-off, kept in the cache (Redis in production).

Each limit allows ``attempts`` hits per ``window`` seconds for one key (an IP address or
an account). Past that the key is blocked for ``backoff`` seconds, doubled at each new
block (a "strike") up to ``max_backoff``; strikes are forgotten after a day without one.
A lock-out is therefore never permanent. Keys are hashed before they reach the cache.

The numbers are in ``settings.GUICHET_RATE_LIMITS`` (see config/settings/base.py).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .crypto import keyed_hash

STRIKE_MEMORY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: int
    backoff: int
    max_backoff: int


def _limit(name: str) -> Limit:
    return Limit(**settings.GUICHET_RATE_LIMITS[name])


def _keys(name: str, key: str) -> tuple[str, str, str]:
    digest = keyed_hash(str(key).lower(), purpose="ratelimit")[:32]
    base = f"guichet:rl:{name}:{digest}"
    return f"{base}:n", f"{base}:until", f"{base}:strikes"


def wait_seconds(name: str, key: str) -> int:
    """Seconds before ``key`` may try ``name`` again (0: it may try now)."""
    _, until_key, _ = _keys(name, key)
    until = cache.get(until_key)
    if until is None:
        return 0
    return max(0, int(until - time.time()) + 1)


def increment(cache_key: str, *, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds from its first hit; returns it."""
    cache.add(cache_key, 0, timeout=window)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        return 1


def hit(name: str, key: str) -> int:
    """Count one attempt; returns the block duration in seconds if this one tripped it."""
    limit = _limit(name)
    count_key, until_key, strikes_key = _keys(name, key)
    count = increment(count_key, window=limit.window)
    if count <= limit.attempts:
        return 0
    strikes = (cache.get(strikes_key) or 0) + 1
    cache.set(strikes_key, strikes, timeout=STRIKE_MEMORY_SECONDS)
    duration = min(limit.backoff * 2 ** (strikes - 1), limit.max_backoff)
    cache.set(until_key, time.time() + duration, timeout=duration)
    cache.delete(count_key)
    return duration


def reset(name: str, key: str) -> None:
    for cache_key in _keys(name, key):
        cache.delete(cache_key)


def client_ip(request) -> str:
    """The client address as seen by Django (the proxy sets REMOTE_ADDR in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"

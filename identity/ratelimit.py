"""Rate limits with exponential back-off, kept in the cache (Redis in production; in each
process's memory, with half the attempts, while Redis is down: config/cache.py).

Each limit allows exactly ``attempts`` hits per ``window`` seconds for one key (an IP
address, an account, an address and IP pair...): the hit that reaches ``attempts`` blocks
the key for ``backoff`` seconds, doubled at each new block (a "strike") up to
``max_backoff``; strikes are forgotten after a day without one. A lock-out is therefore
never permanent. Keys are hashed before they reach the cache.

Every caller follows one pattern: refuse while ``blocked(limits)``; otherwise act, and
``hit_all(limits)`` for what counts (every send, or every failure). With ``attempts = N``
the N-th counted action still happens and the (N+1)-th is refused.

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
    limit = Limit(**settings.GUICHET_RATE_LIMITS[name])
    if getattr(cache, "degraded", False):
        # Redis is down: counts live in each process's memory. Half the attempts per process
        # keeps the whole site near its setting with two workers, never unlimited (ADR 0017).
        return Limit(max(1, limit.attempts // 2), limit.window, limit.backoff, limit.max_backoff)
    return limit


def _base(name: str, key: str) -> str:
    digest = keyed_hash(str(key).lower(), purpose="ratelimit")[:32]
    return f"guichet:rl:{name}:{digest}"


def _keys(name: str, key: str) -> tuple[str, str, str]:
    base = _base(name, key)
    return f"{base}:n", f"{base}:until", f"{base}:strikes"


def pair(*parts: str) -> str:
    """One key for several facts, e.g. (address, IP): each pair is limited on its own."""
    return "\x1f".join(str(part).lower() for part in parts)


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
    """Count one attempt; returns the block duration in seconds if this one was the last
    allowed (the key is blocked from now on), else 0."""
    limit = _limit(name)
    count_key, until_key, strikes_key = _keys(name, key)
    count = increment(count_key, window=limit.window)
    if count < limit.attempts:
        return 0
    strikes = (cache.get(strikes_key) or 0) + 1
    cache.set(strikes_key, strikes, timeout=STRIKE_MEMORY_SECONDS)
    duration = min(limit.backoff * 2 ** (strikes - 1), limit.max_backoff)
    cache.set(until_key, time.time() + duration, timeout=duration)
    cache.delete(count_key)
    return duration


def blocked(limits) -> int:
    """Seconds before every ``(name, key)`` of ``limits`` allows a new attempt (0: now)."""
    return max((wait_seconds(name, key) for name, key in limits), default=0)


def hit_all(limits) -> None:
    for name, key in limits:
        hit(name, key)


def counter_add(name: str, key: str, *, window: int) -> int:
    """A plain counter of events (no block), for risk signals such as anti-robot checks."""
    return increment(_base(name, key) + ":n", window=window)


def counter_get(name: str, key: str) -> int:
    return cache.get(_base(name, key) + ":n", 0)


def reset(name: str, key: str) -> None:
    for cache_key in _keys(name, key):
        cache.delete(cache_key)


def client_ip(request) -> str:
    """The client address as seen by Django (the proxy sets REMOTE_ADDR in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"

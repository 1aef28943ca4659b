"""A Redis outage does not take the site down (ADR 0017).

Each test starts a Redis server of its own on a free port and stops it in the middle (never
the machine's shared one): public pages and the login keep answering, the limits keep
holding (tighter, in each process's memory), /healthz says the cache is down, and the cache
goes back to Redis once it returns.
"""

import pytest
from django.core.cache import cache
from django.test import Client

import config.cache
from tests.identity.helpers import PASSWORD, login_password, make_active_user, text
from tests.support.services import OwnRedis, wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.services("redis-server")]

EMAIL = "ines.morel@example.fr"
WRONG = "Pas-Le-Bon-2026!"


@pytest.fixture
def own_redis(settings):
    server = OwnRedis().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "retry_after": 1},
        }
    }
    config.cache._down_until["at"] = 0.0
    cache.memory.clear()
    yield server
    server.stop()
    config.cache._down_until["at"] = 0.0
    cache.memory.clear()


@pytest.fixture
def site(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())


def test_public_pages_and_the_login_answer_while_redis_is_down(own_redis, site):
    make_active_user(EMAIL)
    client = Client()
    assert client.get("/").status_code == 200  # Wagtail's site root now cached in Redis
    own_redis.stop()

    for path in ("/", "/faq/", "/suivre/", "/compte/login/"):
        assert client.get(path).status_code == 200, path
    response = login_password(client, EMAIL)
    assert response.status_code == 302  # on to the second factor
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == "error"


def test_limits_keep_holding_during_the_outage_with_half_the_attempts(own_redis, settings):
    make_active_user(EMAIL)
    own_redis.stop()
    allowed = settings.GUICHET_RATE_LIMITS["login_account"]["attempts"] // 2
    client = Client()
    for _ in range(allowed):
        response = login_password(client, EMAIL, WRONG, altcha=True, ip="198.51.100.9")
        assert "Trop de tentatives" not in text(response)
    response = login_password(client, EMAIL, PASSWORD, altcha=True, ip="198.51.100.9")
    assert "Trop de tentatives" in text(response)


def test_the_cache_goes_back_to_redis_when_it_returns(own_redis):
    import redis

    own_redis.stop()
    cache.set("during", "memory")
    assert cache.degraded
    assert cache.get("during") == "memory"

    back = OwnRedis(own_redis.port).start()  # Redis returns, on the same address
    try:
        wait_until(lambda: not cache.degraded, timeout=5, message="the retry delay to pass")
        cache.set("after", "redis")
        assert redis.Redis.from_url(back.url).keys("*after*") != []
        assert cache.get("during") is None  # what lived in memory stays there
    finally:
        back.stop()


def test_clearing_the_cache_leaves_other_users_of_the_database_alone(own_redis, settings):
    """Two CI runs share a Redis database, each with its prefix; the Celery broker keeps its
    queues there too. A run (or a test) that clears its cache removes only its own keys."""
    import redis
    from django.core.cache import caches

    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": "run-a"},
        "other": {**settings.CACHES["default"], "KEY_PREFIX": "run-b"},
    }
    mine, theirs = caches["default"], caches["other"]
    mine.set("page", "a")
    theirs.set("page", "b")
    server = redis.Redis.from_url(own_redis.url)
    server.rpush("run-a:celery", "a task waiting")  # the broker's queue of the same run
    mine.clear()
    assert mine.get("page") is None
    assert theirs.get("page") == "b"
    assert server.llen("run-a:celery") == 1

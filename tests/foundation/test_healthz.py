import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "ok"
    assert set(payload["checks"]) == {"database", "cache", "broker", "storage"}
    assert payload["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_and_says_which_check_failed_without_secrets(client, settings):
    secret_url = "redis://:hunter2-secret@127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": secret_url,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    payload = response.json()
    assert payload["status"] == "degraded"
    assert payload["checks"]["cache"] == "error"
    assert payload["checks"]["database"] == "ok"
    assert "hunter2" not in response.content.decode()

"""Settings contract: production is safe by default, the embedded defaults need nothing."""

import json
import os
import subprocess
import sys

from tests.support.services import ROOT

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND,"
    " 'private': s.STORAGES['private']['BACKEND'], 'hasher': s.PASSWORD_HASHERS[0],"
    " 'session_cookie': s.SESSION_COOKIE_NAME, 'sms': s.SMS_BACKEND}))"
)

PRODUCTION_LOCKER_KEY = "x" * 43 + "="  # 32 bytes, base64: required in production


def _clean_env(**extra):
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(extra)
    return env


def _run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        # A hang fails here; a slow machine (two CI runs at once: a fresh SQLite migrate
        # took over 120 s) does not. pytest-timeout's 600 s still bounds the whole test.
        timeout=450,
        check=False,
    )


def test_check_deploy_prints_no_warning_under_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "-a-long-production-secret-with-entropy-1234567890",
        DJANGO_ALLOWED_HOSTS="guichet.example.fr",
        GUICHET_SITE_URL="https://guichet.example.fr",
        GUICHET_TOTP_ENCRYPTION_KEY="p" * 40,
        ALTCHA_HMAC_KEY="h" * 40,
        GUICHET_LOCKER_MASTER_KEY=PRODUCTION_LOCKER_KEY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_ALLOWED_HOSTS="guichet.example.fr",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_the_totp_and_altcha_keys():
    for missing in ("GUICHET_TOTP_ENCRYPTION_KEY", "ALTCHA_HMAC_KEY"):
        keys = {"GUICHET_TOTP_ENCRYPTION_KEY": "p" * 40, "ALTCHA_HMAC_KEY": "h" * 40}
        del keys[missing]
        result = _run(
            ["manage.py", "check"],
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DJANGO_SECRET_KEY="y" * 60,
            DJANGO_ALLOWED_HOSTS="guichet.example.fr",
            **keys,
        )
        assert result.returncode != 0
        assert missing in result.stderr


def test_production_uses_argon2_and_host_prefixed_cookies():
    result = _run(
        ["-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY="y" * 60,
        DJANGO_ALLOWED_HOSTS="guichet.example.fr",
        GUICHET_TOTP_ENCRYPTION_KEY="p" * 40,
        ALTCHA_HMAC_KEY="h" * 40,
        GUICHET_LOCKER_MASTER_KEY=PRODUCTION_LOCKER_KEY,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["session_cookie"] == "__Host-sessionid"


def test_no_environment_at_all_gives_the_embedded_defaults(tmp_path):
    result = _run(
        ["-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        GUICHET_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "db": "django.db.backends.sqlite3",
        "eager": True,
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.filebased.EmailBackend",
        "private": "config.storage.PrivateFileSystemStorage",
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "session_cookie": "sessionid",
        "sms": "file",
    }
    assert (tmp_path).is_dir()


def test_real_services_are_switched_on_by_environment(tmp_path):
    result = _run(
        ["-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        GUICHET_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/guichet",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://127.0.0.1:2525",
        AWS_STORAGE_BUCKET_NAME="guichet",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
        SMS_BACKEND="http",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "db": "django.db.backends.postgresql",
        "eager": False,
        "cache": "config.cache.ResilientRedisCache",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "private": "storages.backends.s3.S3Storage",
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "session_cookie": "sessionid",
        "sms": "http",
    }

"""The environment of the HTTP benchmark: its database, its production settings, its files.

Every process of a run (the seed, the portal's gunicorn, the harness that counts queries)
gets the same environment from ``portal_env``: production settings
(``config.settings.base``) with bench-only secrets, so that sessions made by the harness
are read by the server and files it stores are readable there too.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guichet_bench"
# A seeded database is dropped and made again only when its name says it is the bench's own.
DATABASE_PREFIX = "guichet_bench"

# Public, bench-only values: never used outside a bench run.
_SECRETS = {
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789abcdef",
    "GUICHET_TOTP_ENCRYPTION_KEY": "bench-only-totp-key-0123456789abcdef0123456789",
    "ALTCHA_HMAC_KEY": "bench-only-altcha-hmac-key-0123456789abcdef",
    "GUICHET_LOCKER_MASTER_KEY": "q0Xh5b0kq2oXo9kRk3sGmH1yC8TqJ5w7Vt0nL4eZbYs=",
}


def _reachable(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    try:
        psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=2,
        ).close()
    except psycopg.Error:
        return False
    return True


def database_url() -> str:
    """DATABASE_URL when it names PostgreSQL, else the local default when reachable."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            sys.exit(f"make bench needs PostgreSQL: DATABASE_URL is {url!r}.")
        return url
    if _reachable(DEFAULT_DATABASE_URL):
        return DEFAULT_DATABASE_URL
    sys.exit(
        "make bench needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/guichet_bench "
        f"(nothing answers at {DEFAULT_DATABASE_URL})."
    )


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def portal_env(url: str) -> dict[str, str]:
    """Production settings with bench-only secrets; HTTPS is told by X-Forwarded-Proto, as
    behind the reverse proxy of a real deployment (README, Configuration)."""
    env = {key: value for key, value in os.environ.items() if key not in _SECRETS}
    env.update(_SECRETS)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": env.get("DATABASE_CONN_MAX_AGE", "600"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_TRUST_X_FORWARDED_PROTO": "1",
            "GUICHET_VAR_DIR": str(VAR / "portal"),
            "GUICHET_SITE_URL": "https://127.0.0.1",
            # The writer's porte-documents receives every upload of every round.
            "GUICHET_LOCKER_SPACE_QUOTA_BYTES": str(1 << 40),
            # Production logs a line per request; BENCH_LOG_LEVEL=WARNING leaves it out.
            "DJANGO_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        }
    )
    return env


def setup_django(url: str) -> None:
    """Configure this process as the portal's processes are configured, then set Django up."""
    os.environ.update(portal_env(url))
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"  # this process's own requests: no line each
    import django

    django.setup()

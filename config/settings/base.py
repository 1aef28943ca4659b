"""Guichet settings: everything is read from the environment.

This module is production-safe on its own: DEBUG is off, secure cookies and HSTS are on,
and production-only values (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS) have no default, so a
misconfigured deployment fails at start. ``dev.py`` and ``test.py`` only set environment
defaults before importing this module. See docs/adr/0001-settings-layout.md.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("GUICHET_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Operator and branding -------------------------------------------------------------
GUICHET_OPERATOR_NAME = env.str("GUICHET_OPERATOR_NAME", default="Guichet")
GUICHET_STATE_BRANDING = env.bool("GUICHET_STATE_BRANDING", default=False)
GUICHET_SITE_URL = env.str("GUICHET_SITE_URL", default="http://127.0.0.1:8000")
# Where users report an accessibility problem (the accessibility statement, ADR 0016).
GUICHET_ACCESSIBILITY_EMAIL = env.str(
    "GUICHET_ACCESSIBILITY_EMAIL", default="accessibilite@guichet.test"
)

# --- Applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "widget_tweaks",
    "dsfr",
    "django.forms",
    "django_celery_beat",
    "csp",
    "allauth",
    "allauth.account",
    "django_altcha",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "drf_spectacular",
    # Guichet, in dependency order
    "identity",
    "locker",
    "cases",
    "workflows",
    "api",
    "api.webhooks",
    "cms",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.csp.AdminPreviewFramingMiddleware",
    "config.csp.FederationFormActionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.NoStoreForSessionsMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "identity.staff.StaffAreaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "account_login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "identity.context_processors.spaces",
                "identity.context_processors.federations",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database --------------------------------------------------------------------------
if "DATABASE_URL" not in env:
    # Embedded default: SQLite under var/, created on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections by default: a new connection per request costs more than the page
# (performance issue); health checks drop a connection the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Every key this instance writes to Redis (cache and broker) starts with it: two instances
# (or two CI runs) can share one Redis server without touching each other's keys.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, or this process's memory during an outage (ADR 0017).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "retry_after": 10},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker, tasks run in the calling process (embedded default).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"  # never used while eager; keeps kombu from guessing a host
CELERY_TASK_EAGER_PROPAGATES = False
# Acknowledged when it ends, not when it starts: a task whose worker dies goes back to the
# queue (ADR 0306). Tasks take ids and are safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
# Two queues, served in the order of their names (the broker's "sorted" strategy): codes and
# links someone is waiting for on a page first, then everything else (ADR 0313). A worker
# started without -Q consumes both.
CELERY_URGENT_QUEUE = "codes"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_DEFAULT_ROUTING_KEY = CELERY_TASK_DEFAULT_QUEUE
# Each queue is bound with its own routing key (without one, Celery shows and binds both
# with the default queue's key).
CELERY_TASK_QUEUES = tuple(
    Queue(name, routing_key=name) for name in (CELERY_URGENT_QUEUE, CELERY_TASK_DEFAULT_QUEUE)
)
# A publish with the broker down must fail fast: the outbox keeps the message.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
# A task whose worker died before acknowledging it (SIGKILL, lost machine) is handed out
# again once this many seconds have passed since its delivery, and the broker looks for
# such tasks every tenth of it (ADR 0306). Longer than any task runs; a task running longer
# may run twice, which every task allows.
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, BROKER_VISIBILITY_TIMEOUT // 10),
    "unacked_restore_throttle": 1,
    "queue_order_strategy": "sorted",
}
if REDIS_KEY_PREFIX:
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{REDIS_KEY_PREFIX}:"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "outbox-drain": {"task": "identity.tasks.outbox_drain", "schedule": 60.0},
    "webhooks-drain": {"task": "api.webhooks.tasks.drain", "schedule": 60.0},
    "drafts-expire": {"task": "cases.tasks.drafts_expire", "schedule": 6 * 3600.0},
    # Retention of finished demandes: notices, trash, deletion (ADR 0406).
    "retention-purge": {"task": "cases.tasks.retention_purge", "schedule": 6 * 3600.0},
}

# --- Storage ---------------------------------------------------------------------------
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
PRIVATE_ROOT = VAR_DIR / "private"
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.AppDirectoriesFinder",
]

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as BotoConfig

    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="eu-west-3"),
        "access_key": env.str("AWS_ACCESS_KEY_ID"),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY"),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
        "file_overwrite": False,
        "default_acl": None,
        # An S3 outage fails fast (a clear error, nothing half-written), not after minutes.
        "client_config": BotoConfig(
            connect_timeout=3, read_timeout=15, retries={"max_attempts": 2, "mode": "standard"}
        ),
    }
    # Public media (Wagtail images) are read by browsers straight from the bucket: the
    # Content-Security-Policy below lets images come from its origin.
    _endpoint = urlsplit(_s3["endpoint_url"] or f"https://s3.{_s3['region_name']}.amazonaws.com")
    MEDIA_ORIGINS = [f"{_endpoint.scheme}://{_endpoint.netloc}"]
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "media", "querystring_auth": False},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": env.str("AWS_PRIVATE_BUCKET_NAME", default=AWS_STORAGE_BUCKET_NAME),
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": env.int("AWS_PRIVATE_URL_EXPIRE", default=60),
            },
        },
    }
else:
    MEDIA_ORIGINS = []
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
        },
        "private": {
            "BACKEND": "config.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT},
        },
    }
# Production serves its own static files (gunicorn alone): whitenoise, hashed and
# compressed names, collected by `manage.py collectstatic`
# (docs/adr/0304-production-serving-and-headers.md).
STORAGES["staticfiles"] = {
    "BACKEND": env.str(
        "DJANGO_STATICFILES_STORAGE",
        default="whitenoise.storage.CompressedManifestStaticFilesStorage",
    )
}

# --- Email and SMS ---------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Guichet <ne-pas-repondre@guichet.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SMS_BACKEND = env.str("SMS_BACKEND", default="file")
SMS_FILE_PATH = VAR_DIR / "sms"
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_HTTP_SENDER = env.str("SMS_HTTP_SENDER", default="Guichet")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=5.0)

# Outbox delivery: attempts before a notification is marked failed, and the backoff base.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=30)
# Webhooks to private, loopback or reserved addresses (and over plain http): tests only.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)

# --- Passwords -------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# AUTH_PASSWORD_VALIDATORS: see the accounts block below.

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = GUICHET_OPERATOR_NAME
WAGTAILADMIN_BASE_URL = GUICHET_SITE_URL
# Wagtail's autosave (milliseconds after a change; 0 is off). Off by default: it posts
# half-filled forms (answered 400) and races the editor's own "Enregistrer", which then
# fails with "La page ne peut être créée" (ADR 0203). Editors save drafts themselves.
WAGTAIL_AUTOSAVE_INTERVAL = env.int("WAGTAIL_AUTOSAVE_INTERVAL", default=0)
# Help-centre pages kept whole for visitors without a session, and help links; 0 turns
# it off (cms/page_cache.py, ADR 0204).
GUICHET_PAGE_CACHE_SECONDS = env.int("GUICHET_PAGE_CACHE_SECONDS", default=600)
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    }
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Help-centre documents are always downloaded, never opened in the portal's origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []

# --- Security --------------------------------------------------------------------------
SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The __Host- prefix pins a cookie to this exact host over HTTPS; browsers refuse it on
# plain HTTP, so it follows the secure-cookie switch.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Trust X-Forwarded-Proto only when a proxy in front sets it (and overwrites the client's).
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses (config.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ---------------------------------------------------------------------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # One line per request is written by our middleware; Django's own is redundant.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- File inspection and locker ----------------------------------------------------------
# Per-context upload limits in bytes, inclusive (docs/adr/0100-file-inspection.md).
GUICHET_UPLOAD_MAX_BYTES = {
    "demande": env.int("GUICHET_UPLOAD_DEMANDE_MAX_BYTES", default=5 * 1024 * 1024),
    "locker": env.int("GUICHET_UPLOAD_LOCKER_MAX_BYTES", default=4 * 1024 * 1024),
}
GUICHET_LOCKER_SPACE_QUOTA_BYTES = env.int(
    "GUICHET_LOCKER_SPACE_QUOTA_BYTES", default=235 * 1024 * 1024
)
# Images: declared dimensions are checked against these caps before any decoding.
GUICHET_IMAGE_MAX_PIXELS = env.int("GUICHET_IMAGE_MAX_PIXELS", default=40_000_000)
GUICHET_IMAGE_MAX_SIDE = env.int("GUICHET_IMAGE_MAX_SIDE", default=20_000)
# PDF parsing runs in a forked child with these bounds (decompression bombs).
GUICHET_PDF_MEMORY_LIMIT_BYTES = env.int("GUICHET_PDF_MEMORY_LIMIT_BYTES", default=512 * 1024**2)
GUICHET_PDF_TIME_LIMIT_SECONDS = env.int("GUICHET_PDF_TIME_LIMIT_SECONDS", default=10)
# Optional antivirus: path of a clamd Unix socket; empty means off.
GUICHET_CLAMD_SOCKET = env.str("GUICHET_CLAMD_SOCKET", default="")
GUICHET_CLAMD_TIMEOUT_SECONDS = env.float("GUICHET_CLAMD_TIMEOUT_SECONDS", default=30.0)

# --- Help centre (cms) -----------------------------------------------------------------
# French and English content (docs/adr/0201-help-centre-translations.md): the English
# tree mirrors the French one with aliases until a page is really translated.
WAGTAIL_I18N_ENABLED = True
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
# Wagtail runs its search-index and reference-index updates as django-tasks, one INFO
# line each: too chatty for the request log.
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}

# --- Accounts and strong authentication (identity, django-allauth) ----------------------
# See docs/adr/0300-accounts-on-allauth.md. Numbers are the product rules (PRODUCT.md §2.1).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # The reference number of a pre-registered person, as an identifier (ADR 0311).
    "identity.backends.ReferenceBackend",
]
# Where people want to be after logging in: their demandes (or the `next` they came from).
LOGIN_REDIRECT_URL = "cases:my_cases"
ACCOUNT_ADAPTER = "identity.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "identity.forms.SignupForm",
    "login": "identity.forms.LoginForm",
    "reset_password": "identity.forms.ResetPasswordForm",
    "change_password": "identity.forms.ChangePasswordForm",
    "reset_password_from_key": "identity.forms.ResetPasswordKeyForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "email2*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("GUICHET_ACTIVATION_LINK_DAYS", default=7)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the current session stays; the others end
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # the login email is the only one: none can be added
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
# allauth's own fixed-window limits (cache); identity.ratelimit adds back-off on top.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # No per-address limit: anyone could use it to lock the owner out (ADR 0305).
    "login_failed": "10/m/ip",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
}
# identity.ratelimit: exactly `attempts` per window (seconds) per key, then a block of
# `backoff` seconds doubled at each new block, capped at `max_backoff` (never permanent).
GUICHET_RATE_LIMITS = {
    "login_ip": {"attempts": 30, "window": 900, "backoff": 300, "max_backoff": 3600},
    # Key: (identifier typed, IP). Against one identifier, the anti-robot check instead.
    "login_account": {"attempts": 5, "window": 900, "backoff": 60, "max_backoff": 3600},
    "code_check_account": {"attempts": 10, "window": 900, "backoff": 300, "max_backoff": 3600},
    "code_check_ip": {"attempts": 30, "window": 900, "backoff": 300, "max_backoff": 3600},
    "code_resend": {"attempts": 3, "window": 900, "backoff": 900, "max_backoff": 3600},
    # Every login code sent to an account (each correct password sends one, SMS cost).
    "code_send": {"attempts": 10, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    "activation_resend": {"attempts": 3, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    "activation_resend_ip": {"attempts": 10, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    "phone_verify": {"attempts": 3, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    # Activation of a pre-registered person (ADR 0311): wrong facts per IP and per
    # reference typed, and activation links sent per reference.
    "preregistered_ip": {"attempts": 10, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    "preregistered_reference": {
        "attempts": 5,
        "window": 3600,
        "backoff": 3600,
        "max_backoff": 86400,
    },
    "preregistered_send": {"attempts": 3, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    # Becoming manager by member number (ADR 0308): every number that does not make the
    # person manager counts (unknown, or the organisation has a manager).
    "org_claim_account": {"attempts": 5, "window": 900, "backoff": 900, "max_backoff": 86400},
    "org_claim_ip": {"attempts": 20, "window": 900, "backoff": 900, "max_backoff": 86400},
    # SMS codes of an invited person's first connection, per invitation.
    "invitation_code_send": {"attempts": 3, "window": 900, "backoff": 900, "max_backoff": 86400},
}
# Anti-robot check (ALTCHA) only when the risk calls for it (identity.antirobot, ADR 0305):
# from `ip` events of one IP, `identifier` events against one address, or `site` events
# site-wide, within `window` seconds. Events: login failures, sign-ups, password-reset and
# activation-link requests, tracking misses.
GUICHET_ANTIROBOT = {
    "login": {"window": 900, "ip": 3, "identifier": 3},
    "signup": {
        "window": 900,
        "ip": 3,
        "site": env.int("GUICHET_ALTCHA_SIGNUP_BURST", default=30),
    },
    # Below allauth's own 3 requests an hour per address, so the check comes first.
    "reset": {"window": 900, "ip": 3, "identifier": 2},
    "activation": {"window": 900, "ip": 3, "identifier": 3},
    "tracking": {"window": 900, "ip": 3, "identifier": 3},
    # Wrong facts at the activation of a pre-registered person (identifier: the reference).
    "preregistered": {"window": 900, "ip": 3, "identifier": 3, "site": 50},
}
# The extra fact a pre-registered person gives at activation, as the form names it
# (empty: « Centre de votre première visite »). One per site: the form cannot depend on
# the reference typed without telling whether it exists (ADR 0311).
GUICHET_PREREGISTERED_FACT_LABEL = env.str("GUICHET_PREREGISTERED_FACT_LABEL", default="")
GUICHET_SIGNUP_RESEND_DAYS = env.int("GUICHET_SIGNUP_RESEND_DAYS", default=30)
GUICHET_DELETED_EMAIL_DAYS = env.int("GUICHET_DELETED_EMAIL_DAYS", default=365)
# Fernet passphrase(s) for TOTP secrets: comma-separated, first encrypts, all decrypt.
GUICHET_TOTP_ENCRYPTION_KEY = env.str("GUICHET_TOTP_ENCRYPTION_KEY")
GUICHET_HELP_URL = env.str("GUICHET_HELP_URL", default="/aide/")


# Identity federations (ADR 0312): FranceConnect for applicants, ProConnect for agents.
# A federation is offered only when its issuer is set; its client id and secret are then
# required.
def _federation(prefix: str, *, scopes: str, accepted_acr: str, second_factor_acr: str = ""):
    issuer = env.str(f"{prefix}_ISSUER", default="")
    return {
        "issuer": issuer,
        "client_id": env.str(f"{prefix}_CLIENT_ID") if issuer else "",
        "client_secret": env.str(f"{prefix}_CLIENT_SECRET") if issuer else "",
        "scopes": env.str(f"{prefix}_SCOPES", default=scopes).split(),
        "acr_values": env.str(f"{prefix}_ACR_VALUES", default="eidas1").split(),
        "accepted_acr": env.str(f"{prefix}_ACCEPTED_ACR", default=accepted_acr).split(),
        "second_factor_acr": env.str(
            f"{prefix}_SECOND_FACTOR_ACR", default=second_factor_acr
        ).split(),
    }


GUICHET_FEDERATIONS = {
    "franceconnect": _federation(
        "FRANCECONNECT",
        scopes="openid given_name family_name birthdate gender birthplace birthcountry "
        "email preferred_username",
        accepted_acr="eidas1 eidas2 eidas3",
    ),
    "proconnect": _federation(
        "PROCONNECT",
        scopes="openid email given_name usual_name uid siret idp_id",
        accepted_acr="eidas1 eidas2 eidas3 "
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa "
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
        second_factor_acr="eidas2 eidas3 "
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa "
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
    ),
}
# Clock difference tolerated on the ID token's exp and iat.
GUICHET_FEDERATION_LEEWAY_SECONDS = env.int("GUICHET_FEDERATION_LEEWAY_SECONDS", default=60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {
        "NAME": "identity.password_validation.MaximumLengthValidator",
        "OPTIONS": {"max_length": env.int("PASSWORD_MAX_LENGTH", default=128)},
    },
    {
        "NAME": "identity.password_validation.CharacterClassValidator",
        "OPTIONS": {
            "classes": env.list(
                "PASSWORD_CHARACTER_CLASSES", default=["lower", "upper", "digit", "special"]
            )
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# One login (docs/adr/0007-one-login-staff-areas.md): Wagtail sends to the portal's login
# and leaves passwords to it; identity.staff.StaffAreaMiddleware closes the login views it
# still mounts.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# ALTCHA (self-hosted proof of work; the widget script is served from our static files).
ALTCHA_HMAC_KEY = env.str("ALTCHA_HMAC_KEY")
ALTCHA_MAX_NUMBER = env.int("ALTCHA_MAX_NUMBER", default=100_000)
ALTCHA_INCLUDE_TRANSLATIONS = True
# The widget runs its proof of work in Web Workers it creates from blob: URLs.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["worker-src"] = [SELF, "blob:"]
CELERY_BEAT_SCHEDULE["identity-purge-pending-registrations"] = {
    "task": "identity.tasks.purge_pending_registrations",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["identity-purge-deleted-accounts"] = {
    "task": "identity.tasks.purge_deleted_accounts",
    "schedule": 86400.0,
}

# --- Cases ---------------------------------------------------------------------------
# Timeline and discussion show instructors by role ("Le service instructeur") unless this
# is on, then by name too.
GUICHET_SHOW_INSTRUCTOR_NAMES = env.bool("GUICHET_SHOW_INSTRUCTOR_NAMES", default=False)
# Rate limits of tracking without an account, of email codes and of anonymous drafts.
# Tracking blocks per IP and per (address, IP), never per address alone (ADR 0305).
GUICHET_RATE_LIMITS |= {
    "case_tracking_ip": {"attempts": 20, "window": 900, "backoff": 300, "max_backoff": 3600},
    "case_tracking_pair": {"attempts": 5, "window": 900, "backoff": 300, "max_backoff": 3600},
    "case_email_code": {"attempts": 3, "window": 900, "backoff": 900, "max_backoff": 3600},
    "case_email_code_address": {
        "attempts": 5,
        "window": 3600,
        "backoff": 3600,
        "max_backoff": 86400,
    },
    "case_email_code_ip": {"attempts": 10, "window": 3600, "backoff": 3600, "max_backoff": 86400},
    "case_start_anonymous_ip": {
        "attempts": 10,
        "window": 3600,
        "backoff": 3600,
        "max_backoff": 86400,
    },
}

# --- Locker: encryption at rest, reminders, orphan cleanup ---------------------------
# Envelope encryption of locker files: 32 random bytes, urlsafe base64. Production-only,
# no default (dev.py and test.py set one). Retired keys stay listed until
# `manage.py locker_rotate_master_key` has re-wrapped every space key.
GUICHET_LOCKER_MASTER_KEY = env.str("GUICHET_LOCKER_MASTER_KEY")
GUICHET_LOCKER_OLD_MASTER_KEYS = env.list("GUICHET_LOCKER_OLD_MASTER_KEYS", default=[])
GUICHET_LOCKER_EXPIRY_REMINDER_DAYS = env.int("GUICHET_LOCKER_EXPIRY_REMINDER_DAYS", default=30)
# Stored objects without a document are removed after this grace period (in-flight uploads).
GUICHET_LOCKER_ORPHAN_GRACE_SECONDS = env.int("GUICHET_LOCKER_ORPHAN_GRACE_SECONDS", default=3600)
CELERY_BEAT_SCHEDULE["locker-expiry-reminders"] = {
    "task": "locker.tasks.expiry_reminders",
    "schedule": 6 * 3600.0,
}
CELERY_BEAT_SCHEDULE["locker-orphan-cleanup"] = {
    "task": "locker.tasks.orphan_cleanup",
    "schedule": 24 * 3600.0,
}

# --- Instruction (workflows) -------------------------------------------------------------
# Days the flow waits for the applicant before a reminder, then before an instructor's
# "no answer" task.
GUICHET_REPLY_REMINDER_DAYS = env.int("GUICHET_REPLY_REMINDER_DAYS", default=15)
GUICHET_REPLY_NO_ANSWER_DAYS = env.int("GUICHET_REPLY_NO_ANSWER_DAYS", default=15)
CELERY_BEAT_SCHEDULE["workflow-timers"] = {
    "task": "workflows.tasks.fire_timers",
    "schedule": 300.0,
}
# Silence vaut accord / rejet (ADR 0405): the demandes past their legal deadline are
# decided within the quarter hour; the job decides each once however often it runs.
CELERY_BEAT_SCHEDULE["implicit-decisions"] = {
    "task": "workflows.tasks.implicit_decisions",
    "schedule": 900.0,
}
CELERY_BEAT_SCHEDULE["instruction-repair"] = {
    "task": "workflows.tasks.repair_instruction",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["queues-recount"] = {
    "task": "workflows.tasks.recount_queues",
    "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["exports-expire"] = {
    "task": "workflows.tasks.expire_exports",
    "schedule": 3600.0,
}
# Expert opinions (ADR 0408): one reminder per avis on its answer date; links of an avis
# that do not check out are limited per IP like the other secrets in URLs.
CELERY_BEAT_SCHEDULE["avis-reminders"] = {
    "task": "workflows.tasks.avis_reminders",
    "schedule": 3600.0,
}
GUICHET_RATE_LIMITS |= {
    "avis_link_ip": {"attempts": 20, "window": 900, "backoff": 300, "max_backoff": 3600},
}
CELERY_BEAT_SCHEDULE["instructor-digest"] = {
    "task": "workflows.tasks.send_digests",
    "schedule": 3600.0,  # hourly; each instructor gets at most one digest a day
}

# --- Wagtail admin in the browser (docs/adr/0203-wagtail-admin-csp.md) -----------------
# The admin runs under the public CSP; config.csp lets only its preview views be framed by
# the admin itself. No third party: no Gravatar avatars, no release check from the browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- API (docs/adr/0500-public-api.md) -------------------------------------------------
# Token only (no session, hence no CSRF), JSON only, errors as problem+json.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasToken"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Path parameters as the URL converters accept them, so clients (and schemathesis)
    # know which values reach the API at all.
    "PATH_CONVERTER_OVERRIDES": {
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        "str": {"type": "string", "pattern": "^[^/]+$"},
    },
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "RoleEnum": "cases.models.CaseEvent.Role",
        "AvisStatusEnum": "workflows.avis.models.Avis.Status",
    },
}
GUICHET_RATE_LIMITS |= {
    # Per API token: 600 calls a minute, then a minute's wait (doubling, at most 10 minutes).
    "api_token": {"attempts": 600, "window": 60, "backoff": 60, "max_backoff": 600},
}

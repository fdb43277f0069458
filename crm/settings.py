"""Kindling settings: everything from the environment, embedded defaults for a laptop.

See the configuration table in README.md. Unset ``DATABASE_URL`` means SQLite under ``var/``;
unset ``CELERY_BROKER_URL`` means kombu's filesystem transport under ``var/`` (no server needed).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from crm.env import (
    env_bool,
    env_int,
    env_ip_ports,
    env_list,
    env_secret_file,
    env_str,
    env_url,
    random_secret_key,
    served_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KINDLING_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret_file("SECRET_KEY", VAR_DIR / "secret_key", generate=random_secret_key)
ENCRYPTION_KEY = env_secret_file(
    "ENCRYPTION_KEY", VAR_DIR / "encryption_key", generate=lambda: Fernet.generate_key().decode()
)
try:
    for _key in ENCRYPTION_KEY.split(","):
        Fernet(_key.strip().encode())
except (ValueError, TypeError):
    raise ImproperlyConfigured(
        "ENCRYPTION_KEY must be a urlsafe base64-encoded 32-byte Fernet key, e.g. from: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where people reach Kindling (the links in emails); by default where `make run` serves (HOST,
# PORT). Sending over SMTP needs https: RFC 8058 one-click unsubscribe (outreach.sending.one_click).
SITE_URL = env_url(
    "SITE_URL",
    served_url(env_str("HOST", "127.0.0.1"), env_int("PORT", 8000, minimum=1)),
    schemes={"http", "https"},
).rstrip("/")
# Hosts, addresses or CIDR ranges that connections to user-given hosts (HTTP, webhooks, SMTP,
# IMAP, DNS) may reach although private (crm.net.addresses refuses private, loopback and
# link-local addresses otherwise). OUTBOUND_HTTP_ALLOW_PRIVATE is its older name.
OUTBOUND_ALLOW_PRIVATE = env_list("OUTBOUND_ALLOW_PRIVATE", []) + env_list(
    "OUTBOUND_HTTP_ALLOW_PRIVATE", []
)
# The DNS resolvers a workspace may choose for its deliverability checks, as (IP, port); empty:
# the system's resolver only. The admin's `check_domains --nameserver` is not limited by it.
DNS_RESOLVERS_ALLOWED = env_ip_ports("DNS_RESOLVERS_ALLOWED", default_port=53)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "crm",
    "pipelines",
    "outreach",
    "integrations",
    "integrations.feed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A NUL in any text parameter is a 422 on every page and operation (crm/nul_characters.py).
    "crm.nul_characters.RefuseNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idempotency-Key on the API's POSTs and the inbound lead URL (replays the stored answer).
    "integrations.idempotency.middleware.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "crm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.web.context.workspace_context",
            ],
            "builtins": ["crm.templatetags.people"],
        },
    },
]

# -- Database ------------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'kindling.sqlite3'}",
    schemes={"sqlite", "postgres", "postgresql", "pgsql"},
)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the web server and the worker share the file without "locked".
    _db["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite ignores the extra columns, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
IS_POSTGRES = "postgresql" in _db["ENGINE"]

# -- Auth ----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["crm.auth.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Failed logins of one account from one address within 15 minutes before a cool-down (an address
# failing on many accounts: 5x as many; bad API keys per address: as many). See crm/throttle.py.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
# Reverse proxies in front of Kindling that append to X-Forwarded-For; 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# -- Cache (login and API-key throttling counters: shared by every web process) -------------------
CACHE_URL = env_url("CACHE_URL", "", schemes={"redis", "rediss"}) or env_url(
    "REDIS_URL", "", schemes={"redis", "rediss"}
)
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    # A table in the database (created by migrate): every process and machine sees it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kindling_cache",
        }
    }

# -- I18N / time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# -- Static files (served by the app itself: no CDN) ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by collectstatic in production; empty is fine
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "crm" / "static"]
WHITENOISE_USE_FINDERS = True

# -- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    # The host means nothing to the filesystem transport, but without one kombu warns each time
    # it connects ("No hostname was supplied").
    "filesystem://localhost/",
    schemes={"filesystem", "redis", "rediss", "amqp", "amqps", "memory"},
)
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue_dir = VAR_DIR / "celery"
    for sub in ("queue", "processed", "control"):
        (_queue_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Queues let an operator give each kind of work its own workers (README, "scaling out").
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "outreach.tasks.send_*": {"queue": "send"},
    "outreach.tasks.sync_*": {"queue": "inbox"},
    "outreach.tasks.check_*": {"queue": "dns"},
    "integrations.tasks.import_*": {"queue": "import"},
    "integrations.tasks.ai_*": {"queue": "ai"},
}

# -- Email (system mail: password resets and the like; mailboxes have their own transports) -----
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kindling@localhost")

# -- Outbound webhooks (Standard Webhooks) --------------------------------------------------------
# Seconds a receiver has to answer one delivery; an endpoint failing every delivery for
# WEBHOOK_DISABLE_AFTER_DAYS days is disabled and its creator told.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 15, minimum=1)
WEBHOOK_DISABLE_AFTER_DAYS = env_int("WEBHOOK_DISABLE_AFTER_DAYS", 5, minimum=1)

# -- AI personalization (integrations.ai): instance defaults, each workspace may override them ----
# Any OpenAI-compatible Chat Completions server. Nothing is sent until a workspace turns AI on.
OPENAI_BASE_URL = env_url(
    "OPENAI_BASE_URL", "https://api.openai.com/v1", schemes={"http", "https"}
).rstrip("/")
OPENAI_API_KEY = env_str("OPENAI_API_KEY", "")
AI_MODEL = env_str("AI_MODEL", "gpt-4o-mini")
AI_TIMEOUT = env_int("AI_TIMEOUT", 30, minimum=1)
AI_CONCURRENCY = env_int("AI_CONCURRENCY", 8, minimum=1)
AI_STRUCTURED_OUTPUTS = env_bool("AI_STRUCTURED_OUTPUTS", True)

# -- API ------------------------------------------------------------------------------------------
API_PAGE_SIZE_MAX = env_int("API_PAGE_SIZE_MAX", 200, minimum=1)
# Chunks of a CSV import written at once on PostgreSQL (each on its own connection).
IMPORT_WRITERS = env_int("IMPORT_WRITERS", 2, minimum=1)

# -- Social post sources (integrations.feed) ------------------------------------------------------
BLUESKY_APPVIEW_URL = env_url(
    "BLUESKY_APPVIEW_URL", "https://public.api.bsky.app", schemes={"http", "https"}
).rstrip("/")
FEED_FETCH_TIMEOUT = env_int("FEED_FETCH_TIMEOUT", 20, minimum=1)
FEED_FETCH_CONCURRENCY = env_int("FEED_FETCH_CONCURRENCY", 20, minimum=1)
FEED_PER_HOST_CONCURRENCY = env_int("FEED_PER_HOST_CONCURRENCY", 2, minimum=1)
POSTS_RETENTION_DAYS = env_int("POSTS_RETENTION_DAYS", 90, minimum=1)
POST_SOURCE_MAX_FAILURES = env_int("POST_SOURCE_MAX_FAILURES", 5, minimum=1)
# X reads are paid per post: 0 keeps the adapter off; X_BEARER_TOKEN is the user's own key.
X_MONTHLY_READ_BUDGET = env_int("X_MONTHLY_READ_BUDGET", 0, minimum=0)
X_BEARER_TOKEN = env_str("X_BEARER_TOKEN", "")
X_API_URL = env_url("X_API_URL", "https://api.x.com", schemes={"http", "https"}).rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

"""Settings for the CTE Portal, read from environment variables.

Zero-setup defaults (``make run``): SQLite in the project folder, Celery tasks run in-process,
mail printed to the console. Production sets ``DEBUG=0`` with ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``CELERY_BROKER_URL``; see README.md.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cte_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development key must never run with DEBUG=0.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS: the host names the portal answers to.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

PORTAL_NAME = env_str("PORTAL_NAME", "CTE Portal")
# What the catalogue calls a sector: districts say career cluster, industry sector, academy...
CATALOGUE_SECTOR_LABEL = env_str("CATALOGUE_SECTOR_LABEL", "") or _("Career cluster")
# Where the portal is reached from outside: links in e-mails are built on it.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    # Cross-cutting pieces first, then the domain apps in the order they depend on each other:
    # pathways <- partners, students <- workbased.
    "cte_portal.users",
    "cte_portal.notifications",
    "cte_portal",
    "pathways",
    "partners",
    "students",
    "workbased",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so the static files it answers carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "cte_portal.urls"
WSGI_APPLICATION = "cte_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cte_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------
# SQLite is only the laptop default; CI and production use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "cte_portal.users.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_LOGIN_BY_CODE_ENABLED = False

# --- Cache -------------------------------------------------------------------------------
# Several gunicorn workers must share rate limits and sessions' helpers: Redis in production.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Internationalization ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
# USWDS comes from npm (package.json); it is served from our own static files, never a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every response carries a CSP: our own scripts and styles only, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- E-mail ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CTE Portal <cte@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))

# --- Notifications (the outbox) ----------------------------------------------------------
# Rows per delivery task, sent over one mail connection. Each task costs about 10 ms of its
# own (the broker's round trips, a claim and a record, a journal) and each SMTP connection a
# handshake: 500 spreads that thin (the bench: 12% less a message than 100). Fewer rows
# per task spread a mid-sized fan-out over more worker processes at once; at 0.5 s a
# message a batch reaches the soft time limit and puts the rest back for its retry.
NOTIFICATIONS_BATCH_SIZE = env_int("NOTIFICATIONS_BATCH_SIZE", 500)
# Transient errors (connection, SMTP 4xx) retry with a backoff from the row's own attempts:
# 60 s, 2 min, 4, 8, 16, then every 30 min (the cap, far below Redis' visibility timeout).
# 15 attempts span about 5 hours: a mail server down for a few hours loses nothing.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 15)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
# A row QUEUED or SENDING this long lost its task or its worker: the sweep sends it again.
# Longer than CELERY_TASK_TIME_LIMIT (checked below), so a batch within its time limit is never
# swept. The solo pool enforces no time limits: there a batch stops handing messages over at
# the end of its lease, half of this after its claim (delivery.lease_seconds), so only a
# single send hanging for the other half could go out twice.
NOTIFICATIONS_STUCK_AFTER_SECONDS = env_int("NOTIFICATIONS_STUCK_AFTER_SECONDS", 600)
# Each batch writes its sends here (notifications/journal.py): every worker, and the sweep,
# must see the same directory (one machine's disk, or a volume the worker containers share).
NOTIFICATIONS_JOURNAL_DIR = env_str(
    "NOTIFICATIONS_JOURNAL_DIR", str(BASE_DIR / "var" / "notification-journal")
)
NOTIFICATIONS_SWEEP_LIMIT = env_int("NOTIFICATIONS_SWEEP_LIMIT", 5000)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env_str(
    "NOTIFICATIONS_MESSAGE_ID_DOMAIN", urlsplit(PORTAL_BASE_URL).hostname or "localhost"
)

# --- Celery ------------------------------------------------------------------------------
# No broker configured: tasks run in-process, so a laptop needs no Redis.
_BROKER = env_str("CELERY_BROKER_URL", "")
CELERY_BROKER_URL = _BROKER or "memory://"
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _BROKER or "cache+memory://")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only once it has run, and a worker killed mid-task gives it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
if NOTIFICATIONS_STUCK_AFTER_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "NOTIFICATIONS_STUCK_AFTER_SECONDS must be longer than CELERY_TASK_TIME_LIMIT: the "
        "outbox sweep would otherwise take rows from batches that are still being sent."
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis gives an unacknowledged message back after this long; the outbox sweep bounds delay.
# A publisher (a web request) tries a down broker once, briefly, instead of kombu's default
# of sleeping for seconds: the outbox row waits QUEUED and the sweep sends it later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_RESULT_EXPIRES = 3600
# Nobody waits for results by default: a web request that dispatches a task must not block
# on the result store while Redis is down (the Redis backend retries for 20 s otherwise).
CELERY_TASK_IGNORE_RESULT = True
# Celery closes a worker's database connections around every task unless this is set (then
# only every this many tasks); cte_portal/celery.py closes them when unusable or older than
# CONN_MAX_AGE instead, as Django does around a request.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "notifications-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=env_int("NOTIFICATIONS_DIGEST_HOUR", 7), minute=0),
    },
    # Partner agreements and insurance certificates to renew, to CTE staff every Monday.
    "partners-compliance-reminder": {
        "task": "partners.send_compliance_reminder",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # Work-based learning: reminders two days before each session, and on Monday morning
    # each supervisor's list of student hours waiting for approval.
    "workbased-session-reminders": {
        "task": "workbased.session_reminders",
        "schedule": crontab(hour=env_int("WORKBASED_REMINDER_HOUR", 8), minute=0),
    },
    "workbased-hours-digest": {
        "task": "workbased.hours_waiting_digest",
        "schedule": crontab(
            day_of_week="mon", hour=env_int("WORKBASED_REMINDER_HOUR", 8), minute=15
        ),
    },
}

# --- REST API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous API call then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cte_portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_RATE", "30/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cte_portal.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PORTAL_NAME} API",
    "DESCRIPTION": (
        "Career pathways, partners and work-based learning. Authenticate with a session or "
        "with `Authorization: Token <key>` from `POST /api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`; name each choice set after its own enum so the schema
    # is stable and readable (drf-spectacular would otherwise invent a hashed name).
    "ENUM_NAME_OVERRIDES": {
        "PathwayStatusEnum": "pathways.enums.PathwayStatus",
        "OrganizationStatusEnum": "partners.enums.OrganizationStatus",
        "ContactStatusEnum": "partners.enums.ContactStatus",
        "SubscriberStatusEnum": "partners.enums.SubscriberStatus",
        "EnrollmentStatusEnum": "students.enums.EnrollmentStatus",
        "CourseRecordStatusEnum": "students.enums.CourseRecordStatus",
        "CteStatusEnum": "students.enums.CTEStatus",
        "OpportunityKindEnum": "workbased.enums.OpportunityKind",
        "OpportunityStatusEnum": "workbased.enums.OpportunityStatus",
        "ApplicationStatusEnum": "workbased.enums.ApplicationStatus",
        "ConsentStateEnum": "workbased.enums.ConsentState",
        "PlacementStatusEnum": "workbased.enums.PlacementStatus",
        "HoursStatusEnum": "workbased.enums.HoursStatus",
        "ReviewedViaEnum": "workbased.enums.ReviewedVia",
        "RequestKindEnum": "workbased.enums.RequestKind",
        "SchoolRequestStatusEnum": "workbased.enums.SchoolRequestStatus",
        "VolunteerStatusEnum": "workbased.enums.VolunteerStatus",
    },
}

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

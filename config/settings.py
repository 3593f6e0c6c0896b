"""Shanzhi settings: one file, every deployment-specific value read from the environment.

See the configuration table in README.md. Bad values raise ImproperlyConfigured at start-up
instead of being silently replaced by a default.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_share, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SHANZHI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# A production configuration turns on the HTTPS settings and makes seed_demo refuse to run.
# Read once at start-up: the test runner forces DEBUG off, so nothing may infer it from DEBUG
# later. Tests and `make run` set SHANZHI_PRODUCTION=0.
PRODUCTION = env_bool("SHANZHI_PRODUCTION", not DEBUG)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-shanzhi-development-only"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if not PRODUCTION else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "treebeard",
    "import_export",
    "axes",
    "governance",
    "grids",
    "venues",
    "outreach",
    "economy",
    "teams",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "governance.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "governance.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
# `make run` runs with DEBUG on; its users still get the product's Chinese 404 and 500 pages
# unless they ask for Django's debug pages.
DEBUG_PAGES = env_bool("SHANZHI_DEBUG_PAGES", False)
if DEBUG and not DEBUG_PAGES:
    MIDDLEWARE.insert(0, "governance.middleware.ProductErrorPagesMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The ledger is a package inside governance (governance/ledger/__init__.py says why):
        # its templates and tag libraries are named here, not found as an app's.
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "governance" / "ledger" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "libraries": {
                "ledger": "governance.ledger.templatetags.ledger",
                "ledger_figures": "governance.ledger.templatetags.ledger_figures",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'shanzhi.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file in development.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL") or None

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Test processes running side by side (pytest-xdist) share one Redis: each keeps its
        # own keys.
        CACHES["default"]["KEY_PREFIX"] = os.environ["PYTEST_XDIST_WORKER"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "governance.permissions.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "governance:home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: after 5 failures for one username from one address, 15 minutes' pause.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a TLS proxy every request comes from the proxy: name it (addresses or networks) and the
# client's address is read from X-Forwarded-For instead (governance/throttling.py).
SHANZHI_TRUSTED_PROXIES = env_list("SHANZHI_TRUSTED_PROXIES", [])
for _proxy in SHANZHI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"SHANZHI_TRUSTED_PROXIES: {_proxy!r} is not an address"
        ) from None
AXES_CLIENT_IP_CALLABLE = "governance.throttling.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Every upload (photos, materials, attachments) is at most this many MB (governance.uploads).
SHANZHI_UPLOAD_MAX_MB = env_int("SHANZHI_UPLOAD_MAX_MB", 20)
# Every .xlsx import (governance.importing): at most this many rows per file, enough for a
# township's household register.
SHANZHI_IMPORT_MAX_ROWS = env_int("SHANZHI_IMPORT_MAX_ROWS", 50_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs collectstatic, which production (the container) runs on start;
        # development and tests serve the files from where they are.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# E-mail: reminders go out by mail only when an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shanzhi@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
SHANZHI_MAIL_ENABLED = bool(EMAIL_HOST)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain for good (and intranet names cannot be preloaded):
        # a deliberate opt-in, so `check --deploy` does not warn about leaving it off.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/ so
# that development needs no services at all.
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    for sub in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables (broadcast, -B); kombu's default is "control" in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # Every sweep finds what is due from the rows themselves, so a missed tick is caught up
    # by the next one; `expires` keeps a backlog of ticks from piling up.
    "reminder-sweep": {
        "task": "governance.tasks.run_reminder_sweeps",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # The district's and townships' dashboards for the standard periods (dashboards/models.py).
    "dashboard-snapshots": {
        "task": "dashboards.tasks.refresh_snapshots",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "notification-mail": {
        "task": "governance.tasks.send_pending_notification_mail",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes logs every sign-in at INFO; failures and lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Share of a time limit after which an item shows yellow.
SHANZHI_YELLOW_SHARE = env_share("SHANZHI_YELLOW_SHARE", 0.7)

# Overdue ledger items are escalated (督办) to the level above after this many working days.
SHANZHI_ESCALATE_AFTER_WORKDAYS = env_int("SHANZHI_ESCALATE_AFTER_WORKDAYS", 3)

# The Internet address residents reach the public pages at (QR codes on posters), e.g.
# https://shanzhi.example.gov.cn; empty means the address of the request.
SHANZHI_PUBLIC_BASE_URL = env_str("SHANZHI_PUBLIC_BASE_URL", "")

"""Settings for the Bastau portal: one module, every deployment value from the environment.

Defaults run the portal on a laptop with nothing else installed (SQLite, Celery tasks run
in-process). Production sets DEBUG=0 and the variables listed in `.env.example`; then
`manage.py check --deploy` is clean.
"""

import logging
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from bastau.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_mailers,
    env_redis_url,
    env_str,
    local_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
log = logging.getLogger("bastau.settings")

# A local `.env` (written by `make run` for development) fills in what the environment lacks;
# real environment variables always win.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-bastau-portal-0123456789"  # noqa: S105  only accepted when DEBUG is on
SECRET_KEY = env_str("SECRET_KEY", default=_DEV_SECRET if DEBUG else None)
if SECRET_KEY is None:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable (or DEBUG=1 for a local run).")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY is the development key: set a real one when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS as static files, no CDN
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files as static files: the API docs use no CDN
    "phonenumber_field",
    "axes",
    # django-ratelimit is used as a library (accounts/throttle.py), not installed as an app: its
    # system check calls Django's own RedisCache "not officially supported" (it is atomic: INCR)
    # and refuses the locmem cache a laptop runs with.
    "core",
    "geography",
    "accounts",
    "programme",
    "applications",
    "aptitude",
    "training",
    "plans",
    "commissions",
    "certificates",
    "financing",
    "reports",  # top layer: reads every stage
    "api",  # top layer: the REST API over the same services
    "portal",  # the top layer: home pages, navigation, demo data, health
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Personal data is never stored by a browser or proxy cache (core/middleware.py).
    "core.middleware.PrivateNoStoreMiddleware",
    # Every view needs a login unless it is marked @login_not_required: deny by default.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # runserver serves static files in development; WhiteNoise serves the collected ones in production.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "bastau.urls"
WSGI_APPLICATION = "bastau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Django's widget templates, except the select, written in Python (core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a list page serves ~4x more requests (PITFALLS.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_bastau")}
    # No JIT: a page's short queries paid 35-40 ms of LLVM compilation whenever the planner's row
    # estimate crossed jit_above_cost (docs/performance.md, "PostgreSQL's JIT").
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off " + DATABASES["default"]["OPTIONS"].get("options", "")

# --- Redis: cache and Celery ----------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A page whose cache read fails falls back to the database; it must not hang first.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    # No broker: run tasks in-process so a laptop needs nothing else (bastau/celery.py logs it).
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# Do not lose work (PITFALLS.md): ack after the task, requeue when a worker child dies,
# one message at a time, a visibility timeout well above the longest time limit.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# A message whose worker died (SIGKILL, OOM, lost host) is handed out again after the visibility
# timeout: twice the hard time limit (PITFALLS.md), so a running task is never duplicated and a
# dead one waits 12 minutes, not an hour. No countdown or ETA may exceed it (retry backoff ≤ 600 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
    # A publish that cannot reach Redis fails at once instead of retrying for ~7-19 s: the task is in
    # the outbox already and is relayed when Redis answers (core/outbox.py, docs/architecture.md).
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_RESULT_EXTENDED = True
# Nothing reads task results; storing them would also make every publish wait on the result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_MAX_TASKS_PER_CHILD = 500
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 300_000  # KiB
# Celery's Django fixup closes every database connection before and after each task unless this is set:
# a new PostgreSQL connection per task (~8 ms, a sixth of a certificate PDF). With it, a worker process
# keeps its connection like a web process (CONN_MAX_AGE, health checks: bastau/celery.py runs Django's
# close_old_connections around each task) and Celery still recycles it every this many tasks.
CELERY_DB_REUSE_MAX = 100
# PDFs (certificates, protocols, plan PDFs: the job kinds with queue "pdf", core/jobs.py) render on their
# own queue, so a burst of certificates never delays e-mails and imports; workers consume both:
# `celery -A bastau worker -Q pdf,celery` (README "Workers").
CELERY_TASK_ROUTES = {
    "certificates.tasks.render_certificate_task": {"queue": "pdf"},
    "commissions.tasks.render_protocol_task": {"queue": "pdf"},
    "plans.tasks.render_plan_pdf_task": {"queue": "pdf"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Almaty"
# Workers log through LOGGING below (its handlers mask personal data), not Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The dashboard's summary rows are rebuilt this often by beat (reports/funnel.py); the page shows the
# time of the last rebuild.
REPORTS_REFRESH_SECONDS = env_int("REPORTS_REFRESH_SECONDS", 600)
# With no worker and no beat (tasks in-process: the embedded demo), the dashboard rebuilds its figures
# when it is opened and they are stale (reports/funnel.py current()); with a beat, never in a request.
REPORTS_REFRESH_ON_READ = env_bool("REPORTS_REFRESH_ON_READ", default=CELERY_TASK_ALWAYS_EAGER)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PhoneOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: a district office shares one IP, so lock a username at that IP, and only for a while.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
# The cool-off counts from the lock: axes' default restarts it at every try during the lock, so
# someone who retries every few minutes would never get back in.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# 15 minutes, doubled for each new lock of the same username at the same IP within a day (at most
# 16 hours): accounts/throttle.py.
AXES_COOLOFF_TIME = "accounts.throttle.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
# The client's address: X-Forwarded-For only behind our own proxy (core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
RATELIMIT_IP_META_KEY = "core.clientip.client_ip"
RATELIMIT_USE_CACHE = "default"  # Redis in production: atomic and shared by all web workers
# Per client IP (accounts/throttle.py). Failed logins are counted apart from all login POSTs, so
# password spraying (one try on each of many accounts) stops after 20 failures in 15 minutes.
RATELIMITS = {
    "login": "60/m",
    "login-failures": "20/15m",
    "apply": "20/h",
    "password-reset": "10/h",
    "password-reset-account": "3/h",
    "verify": "60/m",  # the public certificate verification page, by code or number
    "verify-upload": "20/h",  # a PDF uploaded to it (pyHanko validates each: ~50 ms of CPU)
    "api-token": "600/m",  # per API token (api/throttling.py)
    "api-public": "30/m",  # per client IP: the public certificate verification
}

# --- REST API (api/, docs/architecture.md "The REST API") -----------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PolicyAction"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bastau portal API",
    "DESCRIPTION": (
        "For the systems of programme staff. Authenticate with `Authorization: Bearer <token>`: the "
        "administrator makes a token for a staff account in the admin (API tokens), and the token acts "
        "with that account's role and area. Every refusal has one shape: "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`; messages follow Accept-Language.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "MarkKindEnum": "training.models.MarkKind",
        "CertificateKindEnum": "certificates.models.Certificate.Kind",
        "ApplicationStatusEnum": "applications.models.Status",
        "ApplicantListStateEnum": "applications.models.ApplicantList.State",
        "ReferralStateEnum": "financing.models.Referral.State",
        "LenderReferralStateEnum": "api.financing.LENDER_STATES",
    },
}

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "bastau_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["bastau.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: documents go through permission-checked views
# The largest document (a photo or PDF of a medical note) a trainer attaches to an excused absence.
ABSENCE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# A business plan uploaded as a PDF or DOCX (plans/services.py plan_upload).
PLAN_UPLOAD_MAX_BYTES = env_int("PLAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail and SMS -------------------------------------------------------------------------
MAILERS = env_mailers("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bastau <noreply@bastau.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "core.sms.ConsoleSmsBackend")
# The address that starts links in e-mails and SMS and the certificate's QR code. Unset: where `make run`
# serves (http://127.0.0.1:$PORT, 8000 by default); production sets it (`check --deploy` refuses a local one).
PORTAL_URL = env_str("PORTAL_URL", local_url("PORT", 8000))

# --- Certificates ----------------------------------------------------------------------------
# The key and certificate that sign every certificate PDF (PAdES). A deployment sets the paths (PEM;
# the key may be encrypted with the passphrase; a chain file may add intermediate certificates).
# Unset, the development pair in var/signing/ is used, made by scripts/setup.sh (`manage.py
# certificate_signing_pair`); the tests make their own in a temporary folder. README "Signing".
_SIGNING_DIR = BASE_DIR / "var" / "signing"
CERTIFICATE_SIGNING_KEY = env_str("CERTIFICATE_SIGNING_KEY", str(_SIGNING_DIR / "key.pem"))
CERTIFICATE_SIGNING_CERT = env_str("CERTIFICATE_SIGNING_CERT", str(_SIGNING_DIR / "cert.pem"))
CERTIFICATE_SIGNING_CHAIN = env_str("CERTIFICATE_SIGNING_CHAIN", "")
CERTIFICATE_SIGNING_PASSPHRASE = env_str("CERTIFICATE_SIGNING_PASSPHRASE", "")
# A certificate whose PDF is still queued or rendering this long after its try began has lost its
# message or its worker: the beat sweeper queues it again (longer than the PDF task's hard limit).
CERTIFICATE_RENDER_STUCK_SECONDS = env_int("CERTIFICATE_RENDER_STUCK_SECONDS", 180)
CERTIFICATE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # an uploaded PDF to verify; ours are ~40 KB

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions end after a time without requests (accounts/middleware.py): staff after a working day,
# citizens after 2 hours. Instead of SESSION_SAVE_EVERY_REQUEST (a database write per request)
# the middleware rewrites the session's expiry at most every 5 minutes.
STAFF_SESSION_IDLE_SECONDS = 9 * 3600
CITIZEN_SESSION_IDLE_SECONDS = 2 * 3600
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_SECONDS
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /health/ answers the detailed state (database, cache, broker, workers) to this bearer token or a
# staff login; anybody else gets the cheap liveness answer.
HEALTH_TOKEN = env_str("HEALTH_TOKEN", "")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", default=[])
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "KZ"
PHONENUMBER_DB_FORMAT = "E164"

# --- Logging --------------------------------------------------------------------------------
# Every handler masks phones, e-mails, IINs and URL query strings (core/pii.py): no personal
# data in logs. A handler added here must list "personal_data" (a test checks it).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "core.pii.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

"""The portal's only settings module, configured from the environment.

Every variable is read through a small helper that fails loudly on a bad value, so a
typo in production stops the process instead of silently falling back.
"""

import os
from pathlib import Path
import secrets
import sys

from csp.constants import NONCE, NONE, SELF
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Set by the test suite: relaxes HTTPS-only settings that the test client cannot follow.
TESTING = env_bool("TESTING", False) or "pytest" in sys.modules
# Demo mode: demo accounts with the password "demo", printed by `make run`.
DEMO_MODE = env_bool("DEMO_MODE", False)

_INSECURE_KEY = "insecure-development-key-never-use-in-production"
# Build-time commands sign nothing: they may run without the production key (a random one).
_KEYLESS_COMMANDS = {"makemigrations", "collectstatic", "compilemessages", "makemessages"}
_KEYLESS = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in _KEYLESS_COMMANDS


def _real_secret_key(key: str) -> bool:
    """Long and varied enough for Django's own deployment check (security.W009)."""
    return len(key) >= 50 and len(set(key)) >= 5 and key != _INSECURE_KEY


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and _KEYLESS:
    SECRET_KEY = secrets.token_urlsafe(50)
# Only development and the test suite may sign with the public key: demo mode on a server
# (DEBUG off) signs sessions and links that must not be forgeable.
if not (DEBUG or TESTING):
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value (DEBUG=1 allows a development key)."
        )
    if SECRET_KEY == _INSECURE_KEY:
        raise ImproperlyConfigured("SECRET_KEY is the development key: set a real one.")
    if not _real_secret_key(SECRET_KEY):
        raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")
SECRET_KEY = SECRET_KEY or _INSECURE_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "classcontact.views.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "classcontact.admin_config.PortalAdminConfig",  # django.contrib.admin, with its own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "post_office",
    "classcontact",
    "schools",
    "loans",
    "cases",
    "classrooms",
    "conventions",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "classcontact.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "classcontact.middleware.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "classcontact.middleware.AnonymousBodyLimitMiddleware",
    "classcontact.request_reads.OTPMiddleware",  # django-otp's, reading the device cheaper
    "django.contrib.messages.middleware.MessageMiddleware",
    "classcontact.middleware.SessionTimeoutMiddleware",
    "classcontact.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login answers before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "classcontact.urls"
WSGI_APPLICATION = "classcontact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "classcontact.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound by the server, and a statement run five times on a connection kept
        # (pool or CONN_MAX_AGE) prepared there when one plan serves all its values
        # (classcontact/postgresql/base.py). Off behind a pooler in transaction mode (PgBouncer),
        # which cannot keep a connection's prepared statements.
        DATABASES["default"]["ENGINE"] = "classcontact.postgresql"
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "schools.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schools.backends.RolesModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: django-axes locks a user-and-address pair after AXES_FAILURE_LIMIT
# failures for AXES_COOLOFF_MINUTES; the login form already slows every failure.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Counts failures per e-mail address whatever its case (portal and admin login alike).
AXES_USERNAME_CALLABLE = "schools.access.lockout_username"
AXES_RESET_ON_SUCCESS = True
# The locked-out page (registration/locked_out.html), answered with HTTP 429 Too Many Requests.
AXES_LOCKOUT_CALLABLE = "schools.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
LOGIN_FAILURE_DELAY_SECONDS = env_float("LOGIN_FAILURE_DELAY_SECONDS", 0.5)
# Second factor (schools/otp.py): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "ClassContact"
# The admin never shows a device's secret key or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # Files attached to queued e-mails (signed copies): private, under PRIVATE_ROOT/mail.
    "mail_attachments": {"BACKEND": "classcontact.storage.MailAttachmentStorage"},
}
# Private files (certificates, generated documents, attachments) live here, outside
# anything served as static or media; they are downloaded only through views that check
# access. No MEDIA_URL is configured on purpose.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "var" / "private")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Largest file staff may import in the admin (a worker imports it: 50,000 schools are ~6 MB).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Staff exports of lists: up to this many rows the request sends the file; more, a worker makes it.
EXPORT_STREAM_MAX_ROWS = env_int("EXPORT_STREAM_MAX_ROWS", 5000)
# A file made by a worker is deleted this many days after it was asked for.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 3)
# Form fields (not files) held in memory, and the largest body an anonymous request may send
# (one upload and its form), refused before it is read (classcontact/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
ANONYMOUS_BODY_MAX_BYTES = UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The file backend (django.core.mail.backends.filebased.EmailBackend) writes mails here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ClassContact <noreply@classcontact.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mail queue (django-post-office): mails are rows, sent by the workers through the
# outbox, which retries them with backoff; every attempt is logged with the server's answer.
# Its backend is EMAIL_BACKEND (read at sending time).
POST_OFFICE = {
    "LOG_LEVEL": 2,
    "MAX_RETRIES": 0,  # retries are the outbox's (classcontact/outbox.py)
    "FILE_STORAGE": "mail_attachments",
    "MESSAGE_ID_ENABLED": True,
    "CELERY_ENABLED": False,
}

# The outbox (classcontact/outbox.py): work recorded with each change, run by the workers.
# Beat sweeps it every OUTBOX_SWEEP_SECONDS; an item handed to a worker is handed out again
# after OUTBOX_LEASE_SECONDS if nobody finished it; a failed one is retried after
# OUTBOX_RETRY_SECONDS, doubled at each attempt (at most an hour), OUTBOX_MAX_ATTEMPTS times.
OUTBOX_SWEEP_SECONDS = env_float("OUTBOX_SWEEP_SECONDS", 60.0)
OUTBOX_LEASE_SECONDS = env_float("OUTBOX_LEASE_SECONDS", 300.0)
OUTBOX_RETRY_SECONDS = env_float("OUTBOX_RETRY_SECONDS", 60.0)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)
# A request hands its work to the broker only if it answers within this time; after a
# failure, no request tries again for OUTBOX_BROKER_PAUSE_SECONDS (the sweep delivers).
BROKER_CONNECT_TIMEOUT = env_float("BROKER_CONNECT_TIMEOUT", 0.5)
OUTBOX_BROKER_PAUSE_SECONDS = env_float("OUTBOX_BROKER_PAUSE_SECONDS", 5.0)
REMINDERS_EVERY_SECONDS = env_float("REMINDERS_EVERY_SECONDS", 1800.0)
# /health/ answers 503 once the oldest pending work is older than this.
HEALTH_MAX_PENDING_SECONDS = env_int("HEALTH_MAX_PENDING_SECONDS", 900)

# Celery: with no REDIS_URL, tasks run inline (eager) in the same process.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The rate limits' counters live in a cache every web process shares: Redis when there is one.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Requests per address on the anonymous pages that take input (classcontact/ratelimits.py):
# URL name, or a namespace and a colon for all its pages (parents' signing and end links) ->
# (methods counted, "count/period"). Link pages count every request: each one tries a token.
_FORMS, _ALL = ("POST",), ("GET", "POST", "HEAD")
RATE_LIMITS = {
    "login": (_FORMS, env_str("RATE_LIMIT_LOGIN", "20/m")),
    "admin:login": (_FORMS, env_str("RATE_LIMIT_LOGIN", "20/m")),
    "two_factor:verify": (_FORMS, env_str("RATE_LIMIT_LOGIN", "20/m")),
    "password_reset": (_FORMS, env_str("RATE_LIMIT_PASSWORD_RESET", "5/m")),
    "verify": (_FORMS, env_str("RATE_LIMIT_VERIFY", "10/m")),
    "password_reset_confirm": (_ALL, env_str("RATE_LIMIT_LINKS", "30/m")),
    "invitation_accept": (_ALL, env_str("RATE_LIMIT_LINKS", "30/m")),
    "sign:": (_ALL, env_str("RATE_LIMIT_LINKS", "30/m")),
}
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged once it has run, and put back in the queue when its worker dies;
# Redis hands an unacknowledged task to another worker after the visibility timeout, sized
# to the longest task (a PDF, an import): minutes, not Redis' default hour.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": BROKER_CONNECT_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by `celery -A classcontact beat`.
CELERY_BEAT_SCHEDULE = {
    "classcontact-sweep-outbox": {"task": "classcontact.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    # Each reminder goes once (a unique row): running every half hour only catches up sooner.
    "schools-run-reminders": {"task": "schools.run_reminders", "schedule": REMINDERS_EVERY_SECONDS},
    "helpdesk-close-stale-tickets": {"task": "helpdesk.close_stale_tickets", "schedule": 3600.0},
    "classcontact-purge-export-jobs": {"task": "classcontact.purge_export_jobs", "schedule": 3600.0},
    "cases-purge-expired": {"task": "cases.purge_expired", "schedule": 24 * 3600.0},
    # A delivered class's loan starts with its trimester (hourly: a restart never skips a day).
    "classrooms-start-loans": {"task": "classrooms.start_due_loans", "schedule": 3600.0},
}

# Form widgets render through the project's templates, so that the portal can word what
# Django draws as "---------" (templates/django/forms/widgets/select_option.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Retention of personal data (cases/retention.py, run daily by Celery beat). A closed or
# withdrawn case keeps the pupil's identity, address and guardians this many months after
# closing; signed documents and their evidence this many years; helpdesk tickets this many
# months after they close. Purged cases keep their number, dates, states and figures.
RETENTION_CASE_MONTHS = env_int("RETENTION_CASE_MONTHS", 12)
RETENTION_DOCUMENT_YEARS = env_int("RETENTION_DOCUMENT_YEARS", 10)
RETENTION_TICKET_MONTHS = env_int("RETENTION_TICKET_MONTHS", 12)
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 50)
# E-mails sent (or given up on) are deleted this many days later, with their files: their
# bodies carry personal links (classcontact/retention_mail.py).
RETENTION_MAIL_DAYS = env_int("RETENTION_MAIL_DAYS", 90)
# A pupil's export (everything held about them) is deleted this many days after it was made.
PUPIL_EXPORT_KEEP_DAYS = env_int("PUPIL_EXPORT_KEEP_DAYS", 7)
# The coordinators' dashboard flags a person who read the health data of more cases in a day.
UNUSUAL_HEALTH_READS_PER_DAY = env_int("UNUSUAL_HEALTH_READS_PER_DAY", 20)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
# Parents' personal links: to sign their engagement, and later to say the kit is no longer needed.
SIGNING_LINK_VALID_DAYS = env_int("SIGNING_LINK_VALID_DAYS", 14)
END_LINK_VALID_DAYS = env_int("END_LINK_VALID_DAYS", 365)
PAGE_SIZE = 25
# Resolved helpdesk tickets close by themselves after this many days without a reply.
HELPDESK_AUTO_CLOSE_DAYS = env_int("HELPDESK_AUTO_CLOSE_DAYS", 7)

SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): our own scripts and styles only, no inline ones
# (tests/classcontact/test_headers.py checks every page and every template); a script that
# ever needs to be inline carries {{ request.csp_nonce }}. Bootstrap draws some icons as data: SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of the portal uses (the signature pad needs none of them).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a statement written once (classcontact/request_reads.py).
SESSION_ENGINE = "classcontact.request_reads"
# Sessions end after this long without a request (staff, and schools), and in any case this
# long after the login (classcontact/sessions.py).
SESSION_IDLE_STAFF_MINUTES = env_int("SESSION_IDLE_STAFF_MINUTES", 30)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health probe of a container platform speaks plain HTTP to the container.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# X-Forwarded-Proto is trusted only behind a proxy that sets it (and drops the client's own):
# otherwise any client could claim HTTPS.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

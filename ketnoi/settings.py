"""One settings module, configured by environment variables.

DATABASE_URL      default: SQLite file var/ketnoi.sqlite3 (WAL mode)
SECRET_KEY        default: a random key kept in var/secret_key
DEBUG             default: off
ALLOWED_HOSTS     comma-separated; default: the host of KETNOI_BASE_URL, 127.0.0.1, localhost
EMAIL_URL         e.g. smtp://user:pass@mail.example.vn:587?tls=True; default: files under var/mail/
KETNOI_BASE_URL   the public address, used in e-mails; https turns on secure cookies and HSTS
KETNOI_VAR_DIR    where the SQLite file, mail, uploads and screenshots live; default: ./var
DATABASE_REPLICA_URL  a read replica of DATABASE_URL: dashboards and reports read from it (ketnoi/ops/replica.py)
KETNOI_REPLICA_PIN_SECONDS  how long a browser that wrote reads from the primary only; default: 10
KETNOI_LOG_FORMAT json|text; default: text on a terminal and under pytest, json elsewhere (ketnoi/ops/logs.py)
KETNOI_METRICS_TOKEN  a bearer token that lets Prometheus read /metrics from another machine
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from ketnoi.ops.logs import log_format, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KETNOI_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")

KETNOI_BASE_URL = os.environ.get("KETNOI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(KETNOI_BASE_URL)
HTTPS = _base.scheme == "https"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_base.hostname or "127.0.0.1", "127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs page from its own static files, not a CDN
    "django_tasks",  # the backport of Django 6's tasks framework (ketnoi/background)
    "django_tasks_db",  # its database backend: the queue lives in our database, no broker
    "ketnoi.audit",
    "ketnoi.org",
    "ketnoi.accounts",
    "ketnoi.notifications",
    "ketnoi.cases",
    "ketnoi.knowledge",
    "ketnoi.directives",
    "ketnoi.prices",
    "ketnoi.dialogue",
    "ketnoi.party",
    "ketnoi.reports",
    "ketnoi.background",
    "ketnoi.front",
    "ketnoi.demo",
    "ketnoi.ops",
]

MIDDLEWARE = [
    "ketnoi.ops.middleware.RequestMiddleware",  # first: the request id, log line and metrics time it all
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (security section below)
    "ketnoi.front.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketnoi.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ketnoi.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ketnoi.ops.replica.ReplicaPinMiddleware",  # last: what the view writes pins the browser to the primary
]

ROOT_URLCONF = "ketnoi.urls"
WSGI_APPLICATION = "ketnoi.wsgi.application"

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
                "ketnoi.accounts.context_processors.principal",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ketnoi.sqlite3'}",
        # Persistent connections: opening one per request costs more than most pages
        # (bench/RESULTS.md); health checks drop a connection the server closed.
        conn_max_age=int(os.environ.get("KETNOI_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked"
        # errors on upgrade from read to write; the timeout waits for the writer instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# A read replica (a PostgreSQL standby): only the reads of dashboards and reports go there, and
# never one that must see a write just made (ketnoi/ops/replica.py says when).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A standby that does not answer is skipped for a while; waiting for it would hold the page.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 5, **DATABASES["replica"].get("OPTIONS", {})}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ketnoi.ops.replica.ReplicaRouter"]
KETNOI_REPLICA_PIN_SECONDS = int(os.environ.get("KETNOI_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ketnoi.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "front:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Vietnamese weak passwords (matkhau123, 123456789a…) and the account's own phone or tax code.
    {"NAME": "ketnoi.accounts.passwords.VietnameseWeakPasswordValidator"},
]
# How long a link in a confirmation or password-reset e-mail stays valid.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Argon2id first (OWASP Password Storage Cheat Sheet); PBKDF2 hashes of older accounts still
# verify and are rehashed with Argon2 at the person's next sign-in.
PASSWORD_HASHERS = [
    "ketnoi.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Throttling, kept in the database so that every app server counts the same failures
# (ketnoi/accounts/throttle.py): a username is locked for KETNOI_LOGIN_LOCK_MINUTES after
# KETNOI_LOGIN_USERNAME_FAILURES failures within KETNOI_LOGIN_WINDOW_MINUTES; one address gets at
# most KETNOI_LOGIN_IP_FAILURES failures in that window, whatever the usernames.
KETNOI_LOGIN_USERNAME_FAILURES = int(os.environ.get("KETNOI_LOGIN_USERNAME_FAILURES", "5"))
KETNOI_LOGIN_IP_FAILURES = int(os.environ.get("KETNOI_LOGIN_IP_FAILURES", "30"))
KETNOI_LOGIN_WINDOW_MINUTES = int(os.environ.get("KETNOI_LOGIN_WINDOW_MINUTES", "15"))
KETNOI_LOGIN_LOCK_MINUTES = int(os.environ.get("KETNOI_LOGIN_LOCK_MINUTES", "15"))
# The reverse proxies (deploy/nginx) whose X-Forwarded-For is believed: a request from one of
# these addresses or networks comes from the first address of that header (ketnoi/accounts/
# network.py); from anywhere else the header is ignored, since a client could claim any address.
# Default: nginx on the same machine, as gunicorn's FORWARDED_ALLOW_IPS.
KETNOI_TRUSTED_PROXIES = env_list("KETNOI_TRUSTED_PROXIES") or ["127.0.0.1", "::1"]
# Two-factor sign-in (TOTP) for staff (officers, leaders, coordinators, party office, admins):
# "required" (default) or "off" (a trial without authenticator apps).
KETNOI_STAFF_2FA = os.environ.get("KETNOI_STAFF_2FA", "required").strip().lower()
# Sessions: SameSite=Lax cookies; staff sessions end when the browser closes and at the latest
# KETNOI_STAFF_SESSION_HOURS after sign-in (ketnoi/accounts/sessions.py); others after two weeks.
SESSION_ENGINE = "ketnoi.accounts.sessions"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
KETNOI_STAFF_SESSION_HOURS = float(os.environ.get("KETNOI_STAFF_SESSION_HOURS", "8"))
# The long-lived signed cookie that recognises a browser a staff member signed in from before
# (a sign-in from any other browser e-mails them).
KETNOI_DEVICE_COOKIE = "ketnoi_device"
KETNOI_DEVICE_COOKIE_DAYS = 400  # the longest a browser keeps a cookie (RFC 6265bis)

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ketnoi_language"
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files are private (case attachments): kept outside the web root, served by views
# that check access.
MEDIA_ROOT = VAR_DIR / "files"

# --- background work ------------------------------------------------------------------------
# Work a user waits for (report renders, imports, e-mails) is queued in the database and run by
# `ketnoi worker` (started beside the web server by `ketnoi serve`): no broker to install, on
# SQLite and PostgreSQL alike.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A job that fails for a transient reason (the database, the disk) is tried again after
# KETNOI_JOB_RETRY_SECONDS, then twice as long each time, up to KETNOI_JOB_ATTEMPTS tries in all.
KETNOI_JOB_ATTEMPTS = int(os.environ.get("KETNOI_JOB_ATTEMPTS", "4"))
KETNOI_JOB_RETRY_SECONDS = float(os.environ.get("KETNOI_JOB_RETRY_SECONDS", "30"))

# --- e-mail ---------------------------------------------------------------------------------
# E-mails wait in the outbox, written with the change they tell about, and the background worker
# sends them (ketnoi/notifications/services.py). A temporary failure of the mail server is tried
# again after KETNOI_EMAIL_RETRY_SECONDS, then twice as long each time (at most an hour apart), up
# to KETNOI_EMAIL_ATTEMPTS tries: by default 8 tries over about an hour.
KETNOI_EMAIL_ATTEMPTS = int(os.environ.get("KETNOI_EMAIL_ATTEMPTS", "8"))
KETNOI_EMAIL_RETRY_SECONDS = float(os.environ.get("KETNOI_EMAIL_RETRY_SECONDS", "30"))
# 1: the process that wrote an e-mail sends it itself once its transaction commits, through the
# worker's code (the tests; one machine that runs no worker). Retries wait for the worker, or
# for `ketnoi tick`, which catches up with the outbox.
KETNOI_EMAIL_SEND_ON_COMMIT = os.environ.get("KETNOI_EMAIL_SEND_ON_COMMIT", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ketnoi <no-reply@ketnoi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# A load balancer probes the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), enforced everywhere, DEBUG too: every script and style
# comes from our own static files, none is written inline (no 'unsafe-inline'), so an answer or
# a name that slipped through escaping still could not run. data: images are Swagger UI's icons
# (/api/v1/docs). Nothing is loaded from another site, and no other site may frame a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy: the browser features no page needs are switched off; the check-in page
# turns the camera back on for itself (ketnoi/front/headers.py).
KETNOI_PERMISSIONS_POLICY = {
    "camera": (), "microphone": (), "geolocation": (), "payment": (), "usb": (),
}
# Uploads: a form's fields other than its files (the longest is a directive's text, 100,000
# characters) stay under DATA_UPLOAD_MAX_MEMORY_SIZE; files above FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file rather than memory. Each kind of file has its own limit where it is
# checked (ketnoi/cases/filetypes.py) and nginx lets through the largest form
# (deploy/nginx/ketnoi-app.conf).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- operations -----------------------------------------------------------------------------
# One line per log record on stderr, JSON or text (ketnoi/ops/logs.py); a line per request.
LOGGING = logging_config(log_format(), level=os.environ.get("KETNOI_LOG_LEVEL", "INFO").upper())
# /metrics (Prometheus): from this machine, or from anywhere with this bearer token.
KETNOI_METRICS_TOKEN = os.environ.get("KETNOI_METRICS_TOKEN", "")
# How often a thread of each web process adds the requests it counted to the totals in the
# database. None under pytest, where its writes would land beside the tests': there the counts
# are added when /metrics is read or a test asks.
KETNOI_METRICS_FLUSH_SECONDS = float(os.environ.get("KETNOI_METRICS_FLUSH_SECONDS")
                                     or ("inf" if os.environ.get("PYTEST_VERSION") else "10"))
# Retention, in days (0: kept for ever), applied by `ketnoi tick` (ketnoi/privacy/retention.py).
# Decree 13/2023/NĐ-CP (Art. 3) asks that personal data be kept no longer than its purpose
# needs but sets no period for these records; the defaults are ours. Audit events are never
# removed (a hash chain: see retention.py); login failures and unconfirmed registrations have
# their own clean-ups (accounts).
# Who read party members' data: five years, the term of a party committee (Party Statute).
KETNOI_RETAIN_PARTY_READS_DAYS = int(os.environ.get("KETNOI_RETAIN_PARTY_READS_DAYS", "1826"))
# E-mails sent or given up on (addresses, names, case texts): long enough to answer "did you
# send it?".
KETNOI_RETAIN_EMAILS_DAYS = int(os.environ.get("KETNOI_RETAIN_EMAILS_DAYS", "180"))
# django-tasks-db's results of finished tasks (their arguments): for debugging a failure.
KETNOI_RETAIN_TASK_RESULTS_DAYS = int(os.environ.get("KETNOI_RETAIN_TASK_RESULTS_DAYS", "30"))
# Finished background jobs and their result files (reports, a business's data export).
KETNOI_RETAIN_JOBS_DAYS = int(os.environ.get("KETNOI_RETAIN_JOBS_DAYS", "90"))

"""Settings shared by every environment.

This is the one place that reads the environment (see ``.env.example``).
Development works with no environment at all: SQLite in the project folder,
a throw-away secret key, e-mail printed on the console.
"""

import os
from fractions import Fraction
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that does not answer is an outage within seconds (the
    # 503 page, cucs_portal.middleware), not a request held until the web
    # server's own timeout kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "5"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout and an immediate write lock keep two concurrent writers from
    # failing with "database is locked" on the embedded database.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its widget templates, for FORM_RENDERER below.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cucs_portal",
    "people",
    "axes",
    "ateliers",
    "referentiel",
    "commission",
    "audit",
    "seminaire",
    "declinaison",
    "capitalisation",
    "calendars",
    "imports",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cucs_portal.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cucs_portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with the second factor too.
    "django_otp.middleware.OTPMiddleware",
    # The accounts that must use it cannot go anywhere else until they do.
    "cucs_portal.two_factor.TwoFactorMiddleware",
    "cucs_portal.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cucs_portal.lockout.LoginLockoutMiddleware",
    # Last: the first to see the exception of a view (an outage: 503).
    "cucs_portal.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cucs_portal.urls"
WSGI_APPLICATION = "cucs_portal.wsgi.application"

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
            ],
            # « 1er juillet » in French dates: replaces Django's ``date`` filter.
            "builtins": ["cucs_portal.templatetags.french_dates"],
        },
    },
]

# Widgets render with the project's templates first: a multi-line field states
# its maximum and counts down (templates/django/forms/widgets/textarea.html);
# a Markdown field says the formatting hint once per form (cucs_portal/widgets.py).
FORM_RENDERER = "cucs_portal.widgets.FormRenderer"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login attempt on a locked username and address.
    "cucs_portal.lockout.LoginLockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
# Sessions: the portal holds personal data (guests, contacts, positions), often
# opened on shared computers. A session ends after SESSION_IDLE_MINUTES without
# a request and when the browser closes; in use, it slides: it is written again
# at most every SESSION_REFRESH_SECONDS (cucs_portal.middleware), not on every
# request as SESSION_SAVE_EVERY_REQUEST would.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login brute force (cucs_portal/lockout.py): after this many failed logins with
# one username from one address (an IPv6 address's /64), each less than the
# cool-off after the previous, that username is refused from that address for
# the cool-off (minutes) after the last failure. Other addresses and accounts are
# not affected; a password reset through the e-mailed link lifts the lockout.
LOGIN_LOCKOUT_FAILURES = int(env("LOGIN_LOCKOUT_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(env("LOGIN_LOCKOUT_MINUTES", "15"))
# And on the account from every address: past this many failures, each less than
# the window (minutes) after the previous, each attempt waits 1 s after the last
# failure, doubling up to the maximum (seconds); except from a browser that
# signed in to the account within the known-device days.
LOGIN_ACCOUNT_FAILURES = int(env("LOGIN_ACCOUNT_FAILURES", "10"))
LOGIN_ACCOUNT_WINDOW_MINUTES = int(env("LOGIN_ACCOUNT_WINDOW_MINUTES", "60"))
LOGIN_ACCOUNT_MAX_DELAY_SECONDS = int(env("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", "300"))
LOGIN_KNOWN_DEVICE_DAYS = int(env("LOGIN_KNOWN_DEVICE_DAYS", "60"))
# Two-factor authentication (cucs_portal/two_factor.py). Required for the
# superusers, the staff and the secretariat; optional for everyone else. The
# login lockout above counts the wrong codes with the wrong passwords, so
# django-otp's own per-device throttling is off (one mechanism, one place).
OTP_TOTP_ISSUER = "Portail CUCS"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Between the password and the code: how long the password stays good for.
TWO_FACTOR_PENDING_SECONDS = int(env("TWO_FACTOR_PENDING_SECONDS", "300"))
TWO_FACTOR_RECOVERY_CODES = 10

# How many reverse proxies in front of the portal append the client's address to
# X-Forwarded-For (0: the client connects directly, its address is REMOTE_ADDR).
# Too high a number lets a client choose the address it is counted under.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Response headers, the same in every environment so that development shows
# what production does. The Content-Security-Policy allows no inline script or
# style (no `<script>` without src, no `style=` or `on…=` attribute: the
# templates, crispy-forms' and the Django admin's have none, which
# tests/cucs_portal/test_security_headers.py checks on every page). Bootstrap's
# icons are `data:` SVG images in its CSS, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses, refused to every page and frame.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's official dist files, shipped by the bootstrap-wrapper wheel.
    ("bootstrap", str(bootstrap_wrapper.get_bootstrap_dir())),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Attached files (cucs_portal/attachments.py). They are stored through the
# storage of this alias (STORAGES; an S3 bucket through django-storages is a
# matter of configuration) and served only by permission-checked views: nothing
# serves MEDIA_URL, and a bucket for them must not be public.
ATTACHMENT_STORAGE = env("ATTACHMENT_STORAGE", "default")
ATTACHMENT_MAX_MB = int(env("ATTACHMENT_MAX_MB", "10"))
# An image above this is refused before it is decoded (Pillow's limit too).
ATTACHMENT_MAX_PIXELS = int(env("ATTACHMENT_MAX_PIXELS", "40000000"))
# An ODT, ODS, DOCX or XLSX (a ZIP): at most this much once uncompressed, and no
# member compressed more than this ratio.
ATTACHMENT_ZIP_MAX_MB = int(env("ATTACHMENT_ZIP_MAX_MB", "100"))
ATTACHMENT_ZIP_MAX_RATIO = int(env("ATTACHMENT_ZIP_MAX_RATIO", "100"))

# Spreadsheets imported by the secretariat (cucs_portal/spreadsheets.py, the
# imports app): the largest file and the most rows of data one import takes,
# and how long an uploaded file waits for its confirmation.
IMPORT_MAX_MB = int(env("IMPORT_MAX_MB", "2"))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "5000"))
IMPORT_PENDING_HOURS = int(env("IMPORT_PENDING_HOURS", "24"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# A stalled mail server must not hold a request for long (seconds).
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Portail CUCS <ne-pas-repondre@amo2sm.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# The CUCS commission's decision rule (commission/decision.py): the share of
# member organisations that must answer for a round's decision on an axis to
# count. A majority of the answers must then approve.
COMMISSION_QUORUM = env("COMMISSION_QUORUM", "1/2")
try:
    _quorum = Fraction(COMMISSION_QUORUM)
except (ValueError, ZeroDivisionError) as exc:
    raise ImproperlyConfigured(
        "COMMISSION_QUORUM must be a fraction such as 1/2 or 0.5, "
        f"not {COMMISSION_QUORUM!r}"
    ) from exc
if not 0 < _quorum <= 1:
    raise ImproperlyConfigured("COMMISSION_QUORUM must be above 0 and at most 1.")

# The address people reach the portal at, for links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where guests of the seminar (who often have no account) write to the AMO2SM
# secretariat: shown on their personal reply page. Empty: no address shown.
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", "")
# Who publishes the portal and who hosts it: the « Mentions légales », the
# « Données personnelles » register and the « Déclaration d'accessibilité »
# (dashboard/statements.py) read them here. The defaults name AMO2SM and the
# legal representative as the law designates them; what nobody can guess (a
# postal address, the host) is empty and shown as « Non renseigné » until set;
# ``check --deploy`` warns about it (cucs_portal/checks.py, .env.example).
PORTAL_PUBLISHER = {
    "name": env("PUBLISHER_NAME", "AMO2SM"),
    "legal_form": env(
        "PUBLISHER_LEGAL_FORM", "association régie par la loi du 1er juillet 1901"
    ),
    "address": env("PUBLISHER_ADDRESS", ""),
    "registration": env("PUBLISHER_REGISTRATION", ""),  # RNA or SIRET number
    "email": env("PUBLISHER_EMAIL", SECRETARIAT_EMAIL),
    "phone": env("PUBLISHER_PHONE", ""),
    # The director of publication (loi n° 2004-575, art. 6): for an
    # association, its legal representative unless named otherwise.
    "director": env("PUBLISHER_DIRECTOR", "le président ou la présidente d'AMO2SM"),
    # Where people send their requests about their data, and about
    # accessibility: the publisher's address unless set.
    "data_email": env(
        "PUBLISHER_DATA_EMAIL", env("PUBLISHER_EMAIL", SECRETARIAT_EMAIL)
    ),
    "accessibility_email": env(
        "PUBLISHER_ACCESSIBILITY_EMAIL", env("PUBLISHER_EMAIL", SECRETARIAT_EMAIL)
    ),
    "host_name": env("HOSTING_NAME", ""),
    "host_address": env("HOSTING_ADDRESS", ""),
    "host_phone": env("HOSTING_PHONE", ""),
    "host_website": env("HOSTING_WEBSITE", ""),
}
# A seminar guest who has no account is anonymised this many months after the
# seminar, by the worker every night (seminaire/retention.py).
SEMINAR_GUEST_RETENTION_MONTHS = int(env("SEMINAR_GUEST_RETENTION_MONTHS", "12"))
if SEMINAR_GUEST_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("SEMINAR_GUEST_RETENTION_MONTHS must be at least 1.")
# When the worker sends the daily digest of notifications (HH:MM, TIME_ZONE).
NOTIFICATION_DIGEST_TIME = env("NOTIFICATION_DIGEST_TIME", "07:00")

# Background work (the référentiel's PDF): django-tasks with its database
# backend, so the embedded SQLite and PostgreSQL both hold the queue; `make run`
# starts a worker (`manage.py db_worker`) beside the web server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A worker refreshes the lease of the work it holds this often (seconds); work
# whose lease is three beats old is taken as abandoned (cucs_portal/leases.py).
WORKER_HEARTBEAT_SECONDS = float(env("WORKER_HEARTBEAT_SECONDS", "5"))

# The rendered HTML of the Markdown people type (cucs_portal/markdown.py), made
# once per text and kept in each process's memory: an unchanged text renders
# nothing on a page view. About 2 KB a text; the oldest go first past the limit.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "markdown": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "markdown",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(env("MARKDOWN_CACHE_ENTRIES", "5000"))},
    },
}

# A PDF render runs in a process of its own, stopped past these limits with a
# clear error (PDF-NOTES: ~51 s and ~600 MB for 300 proposals on 2 cores).
PDF_RENDER_TIMEOUT = int(env("PDF_RENDER_TIMEOUT", "900"))  # seconds
PDF_RENDER_MEMORY_MB = int(env("PDF_RENDER_MEMORY_MB", "3072"))  # address space

# The health endpoint (/sante/) reports the task queue as late when a task has
# waited this long (minutes) for a worker. Informative: the status stays "ok".
HEALTH_TASK_QUEUE_LATE_MINUTES = int(env("HEALTH_TASK_QUEUE_LATE_MINUTES", "30"))

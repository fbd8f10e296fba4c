"""Production settings: HTTPS behind a reverse proxy, PostgreSQL, a real secret key.

Refuses to start without SECRET_KEY, so a deployment can never run on the
development key. ``manage.py check --deploy`` also fails until e-mail has a
real backend and PORTAL_BASE_URL is the public https:// address
(cucs_portal/checks.py).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env, env_bool

DEBUG = False
if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in "
        "production (see .env.example)."
    )

# Links in e-mails: the public address, never guessed (the first allowed host
# may be an internal name); checks.py fails `check --deploy` while it is unset.
PORTAL_BASE_URL = (env("PORTAL_BASE_URL") or "").rstrip("/")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that proxy, the client's address for the login lockout is the one it
# appends to X-Forwarded-For (see base.py).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# A load balancer probes the health endpoint on the server itself, over plain
# HTTP: a redirect to HTTPS would answer its probe with a 301, whatever the
# state of the database. The endpoint shows nothing private and takes no input.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header only allows a submission to the preload list; nobody is enrolled
# until the domain owner submits it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

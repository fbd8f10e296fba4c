"""Deployment checks of our own, run by ``manage.py check --deploy`` (the
deployment procedure in the README and CI run it with production settings).

They are errors, not warnings: a portal that sends no e-mail, or e-mails links
to the wrong address, loses password resets and the seminar guests' personal
reply links without anyone noticing. The publisher's details are a warning
(the deployment procedure fails on warnings too): the portal works without
them, but its « Mentions légales » would not say what the law asks.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host
from django.utils.module_loading import import_string

# Django's backends that deliver nothing: they print, keep in memory, drop, or
# write the messages to files.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    """EMAIL_BACKEND must deliver: SMTP, or any backend other than Django's
    console, locmem, dummy and filebased ones; and it must import."""
    backend = settings.EMAIL_BACKEND
    if backend in UNDELIVERED_EMAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {backend}: no e-mail would reach anyone "
                "(password resets, seminar invitations).",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
                "and EMAIL_HOST, EMAIL_PORT... (see .env.example).",
                id="cucs_portal.E001",
            )
        ]
    try:
        import_string(backend)
    except ImportError as exc:
        return [
            Error(
                f"EMAIL_BACKEND {backend!r} cannot be imported: {exc}.",
                id="cucs_portal.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_portal_base_url(app_configs, **kwargs):
    """PORTAL_BASE_URL, the address in e-mailed links, must be set explicitly
    to an https:// address whose host the portal answers to (ALLOWED_HOSTS)
    and is not this machine."""
    url = settings.PORTAL_BASE_URL
    hint = (
        "Set PORTAL_BASE_URL to the portal's public address, e.g. "
        "https://cucs.example.org (see .env.example)."
    )
    if not url:
        return [
            Error(
                "PORTAL_BASE_URL is not set: e-mailed links would have no address.",
                hint=hint,
                id="cucs_portal.E003",
            )
        ]
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        problem = "is not an https:// address"
    elif host in LOOPBACK_HOSTS or host.startswith("127."):
        problem = "points to this machine"
    elif not validate_host(host, settings.ALLOWED_HOSTS):
        problem = "has a host that is not in ALLOWED_HOSTS"
    else:
        return []
    return [
        Error(
            f"PORTAL_BASE_URL {url!r} {problem}: e-mailed links would not "
            "reach the portal.",
            hint=hint,
            id="cucs_portal.E004",
        )
    ]


# What the « Mentions légales » must give (loi n° 2004-575, art. 6 III) and
# nobody can guess, by their environment variable.
PUBLISHER_REQUIRED = {
    "address": "PUBLISHER_ADDRESS",
    "email": "PUBLISHER_EMAIL",
    "host_name": "HOSTING_NAME",
    "host_address": "HOSTING_ADDRESS",
    "host_phone": "HOSTING_PHONE",
}


@register(Tags.security, deploy=True)
def check_publisher(app_configs, **kwargs):
    """The publisher's address and e-mail and the host's name, address and
    phone are set (``PORTAL_PUBLISHER``): the public statements show them."""
    publisher = settings.PORTAL_PUBLISHER
    missing = [env for key, env in PUBLISHER_REQUIRED.items() if not publisher.get(key)]
    if not missing:
        return []
    return [
        Warning(
            "The legal notice would show « Non renseigné » for what the law asks "
            f"of it: {', '.join(missing)} not set.",
            hint="Set them in the environment (see .env.example).",
            id="cucs_portal.W001",
        )
    ]

"""Production settings refuse to run insecurely and pass Django's deploy checks;
`check --deploy` fails until e-mail is delivered and PORTAL_BASE_URL is the
public address (cucs_portal/checks.py)."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from cucs_portal import checks

ROOT = Path(__file__).resolve().parents[2]


READ_BY_THESE_TESTS = {
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "EMAIL_BACKEND",
    "PORTAL_BASE_URL",
    *checks.PUBLISHER_REQUIRED.values(),
}
# The publisher's and the host's details the deploy check asks for.
PUBLISHER_ENV = {
    "PUBLISHER_ADDRESS": "1 rue de l'Exemple, 42000 Saint-Étienne",
    "PUBLISHER_EMAIL": "contact@amo2sm.example.org",
    "HOSTING_NAME": "Hébergeur Exemple",
    "HOSTING_ADDRESS": "1 avenue du Serveur, 69000 Lyon",
    "HOSTING_PHONE": "04 72 00 00 00",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def run(args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in READ_BY_THESE_TESTS
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def random_key(length=60):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


SETUP_PRODUCTION = (
    "import django, os; "
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'cucs_portal.settings.production'; "
    "django.setup()"
)


def test_production_refuses_to_start_without_a_secret_key():
    """Without SECRET_KEY the production settings raise ImproperlyConfigured."""
    result = run(["-c", SETUP_PRODUCTION])

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    """The development key cannot be reused in production."""
    result = run(
        ["-c", SETUP_PRODUCTION],
        SECRET_KEY="dev-only-insecure-key-never-use-in-production-0123456789",
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_a_short_secret_key():
    """A key shorter than 50 characters is refused."""
    result = run(["-c", SETUP_PRODUCTION], SECRET_KEY=random_key(20))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_passes_the_deploy_checks_with_a_real_key():
    """With a random key and its host names, `check --deploy` reports nothing,
    not even a warning."""
    result = run(
        [
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=cucs_portal.settings.production",
        ],
        SECRET_KEY=random_key(),
        ALLOWED_HOSTS="portail-cucs.example.org",
        EMAIL_BACKEND=SMTP,
        PORTAL_BASE_URL="https://portail-cucs.example.org",
        **PUBLISHER_ENV,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def check_deploy(**env):
    """`check --deploy --fail-level WARNING` with production settings, a real
    key, and by default a real mail server and public address."""
    environment = {
        "SECRET_KEY": random_key(),
        "ALLOWED_HOSTS": "portail-cucs.example.org",
        "EMAIL_BACKEND": SMTP,
        "PORTAL_BASE_URL": "https://portail-cucs.example.org",
        **PUBLISHER_ENV,
    }
    environment.update(env)
    command = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    settings_module = "--settings=cucs_portal.settings.production"
    return run(
        [*command, settings_module],
        **{key: value for key, value in environment.items() if value is not None},
    )


def test_the_deploy_check_fails_without_an_email_backend():
    """EMAIL_BACKEND unset (the console by default): the check fails and says
    that no e-mail would reach anyone."""
    result = check_deploy(EMAIL_BACKEND=None)

    assert result.returncode != 0
    assert "cucs_portal.E001" in result.stderr
    assert "no e-mail would reach anyone" in result.stderr


def test_the_deploy_check_fails_with_the_console_email_backend():
    """The console backend, set on purpose, fails it too."""
    result = check_deploy(EMAIL_BACKEND=CONSOLE)

    assert result.returncode != 0
    assert "cucs_portal.E001" in result.stderr


def test_the_deploy_check_fails_without_portal_base_url():
    """Production no longer guesses the address of e-mailed links from
    ALLOWED_HOSTS: unset, the check fails."""
    result = check_deploy(PORTAL_BASE_URL=None)

    assert result.returncode != 0
    assert "cucs_portal.E003" in result.stderr
    assert "PORTAL_BASE_URL is not set" in result.stderr


def test_the_deploy_check_fails_with_a_plain_http_portal_base_url():
    """The development address fails it."""
    result = check_deploy(PORTAL_BASE_URL="http://127.0.0.1:8000")

    assert result.returncode != 0
    assert "cucs_portal.E004" in result.stderr
    assert "is not an https:// address" in result.stderr


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        (CONSOLE, "cucs_portal.E001"),
        ("django.core.mail.backends.locmem.EmailBackend", "cucs_portal.E001"),
        ("django.core.mail.backends.dummy.EmailBackend", "cucs_portal.E001"),
        ("django.core.mail.backends.filebased.EmailBackend", "cucs_portal.E001"),
        ("django.core.mail.backends.smpt.EmailBackend", "cucs_portal.E002"),
        (SMTP, None),
        ("tests.seminaire.test_services.RefusingBackend", None),
    ],
)
def test_only_a_delivering_email_backend_passes(backend, error):
    """Django's backends that deliver nothing fail, a misspelt one too; SMTP
    or any other importable backend passes."""
    with override_settings(EMAIL_BACKEND=backend):
        found = [message.id for message in checks.check_email_backend(None)]

    assert found == ([error] if error else [])


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", "cucs_portal.E003"),
        ("http://portail-cucs.example.org", "cucs_portal.E004"),
        ("portail-cucs.example.org", "cucs_portal.E004"),
        ("https://localhost", "cucs_portal.E004"),
        ("https://127.0.0.1:8000", "cucs_portal.E004"),
        ("https://[::1]", "cucs_portal.E004"),
        ("https://cucs.elsewhere.org", "cucs_portal.E004"),
        ("https://portail-cucs.example.org", None),
        ("https://PORTAIL-CUCS.example.org:8443", None),
    ],
)
def test_portal_base_url_must_be_the_public_https_address(url, error):
    """Unset, plain HTTP, this machine, or a host the portal does not answer to
    fail; the public https:// address passes."""
    with override_settings(
        PORTAL_BASE_URL=url, ALLOWED_HOSTS=["portail-cucs.example.org"]
    ):
        found = [message.id for message in checks.check_portal_base_url(None)]

    assert found == ([error] if error else [])


def served_by_make_run(tmp_path, *make_args, **env):
    """What `make run` starts, with a stand-in for the virtualenv's python that
    prints the PORTAL_BASE_URL it was given and its arguments: the run line of
    `make -n run` executed as make would (the steps before it are skipped)."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    python = fake_bin / "python"
    python.write_text('#!/bin/sh\necho "$PORTAL_BASE_URL $*"\n')
    python.chmod(0o755)
    # Not as a sub-make of `make test` (MAKELEVEL, MAKEFLAGS): its output
    # would be framed by "Entering/Leaving directory" lines.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORTAL_BASE_URL", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    }
    environment.update(env)
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"VENV={tmp_path}", *make_args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    run_line = dry_run.stdout.strip().splitlines()[-1]
    assert "scripts/serve.sh" in run_line
    served = subprocess.run(
        ["sh", "-c", run_line],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return served.stdout.splitlines()


def test_make_run_emails_links_to_the_address_it_serves(tmp_path):
    """`make run PORT=8101`: the server listens on 8101 and the links in its
    e-mails (PORTAL_BASE_URL, given to the server and its worker) point there,
    not to the default 8000."""
    lines = served_by_make_run(tmp_path, "PORT=8101", "HOST=127.0.0.2")

    assert "http://127.0.0.2:8101 manage.py runserver 127.0.0.2:8101" in lines
    assert any(
        line.startswith("http://127.0.0.2:8101 manage.py worker") for line in lines
    )


def test_make_run_keeps_a_portal_base_url_set_by_hand(tmp_path):
    """A PORTAL_BASE_URL in the environment (say, a tunnel's address) wins."""
    lines = served_by_make_run(
        tmp_path, "PORT=8101", PORTAL_BASE_URL="https://tunnel.example.org"
    )

    assert "https://tunnel.example.org manage.py runserver 127.0.0.1:8101" in lines


def test_the_deploy_check_warns_without_the_host():
    """Without the host's details the « Mentions légales » would be
    incomplete: the check warns, which fails the deployment procedure."""
    result = check_deploy(HOSTING_NAME=None, HOSTING_PHONE=None)

    assert result.returncode != 0
    assert "cucs_portal.W001" in result.stderr
    assert "HOSTING_NAME, HOSTING_PHONE not set" in result.stderr


def test_the_publisher_check_names_each_detail_missing():
    complete = dict.fromkeys(checks.PUBLISHER_REQUIRED, "x")
    with override_settings(PORTAL_PUBLISHER=complete):
        assert checks.check_publisher(None) == []
    with override_settings(PORTAL_PUBLISHER={**complete, "address": ""}):
        (warning,) = checks.check_publisher(None)
    assert warning.id == "cucs_portal.W001"
    assert "PUBLISHER_ADDRESS not set" in warning.msg

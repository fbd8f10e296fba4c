"""Production settings refuse to run insecurely and pass Django's deploy checks."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS"}
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
    )

    assert result.returncode == 0, result.stdout + result.stderr

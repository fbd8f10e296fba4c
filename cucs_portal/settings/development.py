"""Development settings: the default of manage.py, no environment needed."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", default=True)
# Development only; production.py refuses to start without a real key.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's secretariat address, on the seminar guests' reply pages.
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", "secretariat@amo2sm.invalid")

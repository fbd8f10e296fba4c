"""Test settings: development defaults with a fast password hasher.

The database is SQLite unless DATABASE_URL points elsewhere (CI runs the suite on
PostgreSQL too).
"""

from .development import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "fr"

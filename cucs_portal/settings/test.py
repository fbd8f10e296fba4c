"""Test settings: development defaults with a fast password hasher.

The database is SQLite unless DATABASE_URL points elsewhere (CI runs the suite on
PostgreSQL too).
"""

import tempfile
from pathlib import Path

from .development import *  # noqa: F403

# Rendered PDFs of the tests go to a directory of their own, not ./media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cucs-test-media-"))

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "fr"

"""What accent-forgiving search needs on PostgreSQL (cucs_portal/search.py).

- The ``unaccent`` and ``pg_trgm`` extensions (both "trusted" since
  PostgreSQL 13: the database's owner may create them).
- ``cucs_fold(text)``: ``lower(unaccent(text))``, IMMUTABLE so that expression
  indexes can use it (``unaccent()`` alone is STABLE, its dictionary being
  looked up at run time; naming the dictionary and schema makes it stable in
  fact). The apps' GIN trigram indexes are built on ``cucs_fold(column)``.
- ``cucs_french``: the French text-search configuration with ``unaccent``
  before the French stemmer, for the library's full-text search.

SQLite needs nothing stored: ``cucs_fold`` is registered on each connection.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION cucs_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
    """,
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cucs_french') THEN
        CREATE TEXT SEARCH CONFIGURATION cucs_french (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION cucs_french
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
]
BACKWARD = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cucs_french",
    "DROP FUNCTION IF EXISTS cucs_fold(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    # The extensions stay: other objects of the database may use them.
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cucs_portal", "0003_attachment")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

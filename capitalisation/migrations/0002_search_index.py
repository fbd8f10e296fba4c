"""The GIN index of the library's full-text search, on PostgreSQL only.

The expression is the one ``capitalisation.selectors.sheet_vector()`` builds, as
Django writes it, so that the planner recognises it: change both together
(tests/capitalisation/test_search.py checks on PostgreSQL that the index is
used). SQLite has no full-text search of this kind: nothing to do there.
"""

from django.db import migrations

INDEX = "sheet_search_idx"
EXPRESSION = """
    (setweight(to_tsvector('french'::regconfig, COALESCE("title", '')), 'A')
     || setweight(to_tsvector('french'::regconfig, COALESCE("summary", '')), 'B'))
    || setweight(
        to_tsvector(
            'french'::regconfig,
            COALESCE("what_was_done", '') || ' ' || COALESCE("results", '')
            || ' ' || COALESCE("lessons", '')
        ),
        'C'
    )
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON capitalisation_experiencesheet "
        f"USING gin (({EXPRESSION}))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("capitalisation", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""The library's GIN index rebuilt on the "cucs_french" text-search
configuration (French with unaccent, cucs_portal/0004), which
``capitalisation.selectors.sheet_vector()`` now uses: the expression as Django
writes it, so that the planner recognises it (tests/capitalisation/test_search.py).
PostgreSQL only; going back rebuilds the "french" one of 0002."""

from django.db import migrations

INDEX = "sheet_search_idx"
EXPRESSION = """
    (setweight(to_tsvector('{config}'::regconfig, COALESCE("title", '')), 'A')
     || setweight(to_tsvector('{config}'::regconfig, COALESCE("summary", '')), 'B'))
    || setweight(
        to_tsvector(
            '{config}'::regconfig,
            COALESCE("what_was_done", '') || ' ' || COALESCE("results", '')
            || ' ' || COALESCE("lessons", '')
        ),
        'C'
    )
"""


def rebuild(config):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON capitalisation_experiencesheet "
            f"USING gin (({EXPRESSION.format(config=config)}))"
        )

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("capitalisation", "0004_versioned_model"),
        ("cucs_portal", "0004_search_folding"),
    ]

    operations = [
        migrations.RunPython(rebuild("cucs_french"), rebuild("french"), elidable=False)
    ]

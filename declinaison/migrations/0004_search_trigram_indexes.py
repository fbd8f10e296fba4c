"""GIN trigram indexes on ``cucs_fold(column)`` for the programming's search
(declinaison.selectors.filter_actions), on PostgreSQL only: the very
expression ``cucs_portal.search.matching`` filters on, so that the planner
uses them (tests/declinaison/test_search.py). The proposals' titles are
searched in their own table first. Nothing on SQLite."""

from django.db import migrations

from cucs_portal.search import folded_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("declinaison", "0003_versioned_model"),
        ("cucs_portal", "0004_search_folding"),
    ]

    operations = [
        folded_trigram_indexes(
            "declinaison_siteaction",
            {
                "siteaction_title_fold_trgm": "title",
                "siteaction_description_fold_trgm": "description",
            },
        )
    ]

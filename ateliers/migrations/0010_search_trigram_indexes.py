"""GIN trigram indexes on ``cucs_fold(column)`` for the proposals list's
search (ateliers.selectors.SEARCHED_FIELDS), on PostgreSQL only: the very
expression ``cucs_portal.search.matching`` filters on, so that the planner
uses them (tests/ateliers/test_search_indexes.py). Nothing on SQLite."""

from django.db import migrations

from cucs_portal.search import folded_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("ateliers", "0009_proposal_ready"),
        ("cucs_portal", "0004_search_folding"),
    ]

    operations = [
        folded_trigram_indexes(
            "ateliers_proposal",
            {
                "proposal_title_fold_trgm": "title",
                "proposal_summary_fold_trgm": "summary",
                "proposal_description_fold_trgm": "description",
                "proposal_actions_fold_trgm": "actions",
            },
        )
    ]

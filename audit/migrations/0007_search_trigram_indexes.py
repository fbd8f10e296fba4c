"""GIN trigram indexes on ``cucs_fold(column)`` for the journal's search
(audit.selectors.search_events), on PostgreSQL only: the very expression
``cucs_portal.search.matching`` filters on, so that the planner uses them
(tests/audit/test_search.py). The actors' names are searched in the people
table first (a small table), so the journal's filter stays on its own
columns. Nothing on SQLite."""

from django.db import migrations

from cucs_portal.search import folded_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_verbs_declared_by_the_apps"),
        ("cucs_portal", "0004_search_folding"),
    ]

    operations = [
        folded_trigram_indexes(
            "audit_auditevent",
            {
                "auditevent_target_label_fold_trgm": "target_label",
                "auditevent_comment_fold_trgm": "comment",
            },
        )
    ]

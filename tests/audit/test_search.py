"""The journal's search forgives accents and case (issue 17), on both
backends, and PostgreSQL serves it with the GIN trigram indexes of
audit/migrations/0007."""

import pytest
from django.db import connection
from django.urls import reverse

from ateliers.verbs import AteliersVerb
from audit import selectors
from audit.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def events(db):
    person = f.UserFactory(first_name="Hélène", last_name="Lefèvre")
    other = f.UserFactory(first_name="Paul", last_name="Martin")
    titles = {
        "idees": "Une « Boîte à idées » dans chaque hall",
        "jardins": "Développement de jardins partagés au pied des immeubles",
        "rehabilitation": "Clauses d’insertion dans les marchés de réhabilitation",
    }
    found = {}
    for name, title in titles.items():
        found[name] = AuditEvent.record(
            actor=other,
            target=f.ProposalFactory(title=title),
            action=AteliersVerb.SUBMIT,
        )
    found["comment"] = AuditEvent.record(
        actor=person,
        target=f.ProposalFactory(title="Bancs publics"),
        action=AteliersVerb.VALIDATE,
        comment="Adoptée : un écho à la boîte à idées.",
    )
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boite a idees", {"idees", "comment"}),
        ("BOÎTE À IDÉES", {"idees", "comment"}),
        ("jardins partages", {"jardins"}),
        ("rehabilitation", {"rehabilitation"}),
        ("marches de rehabilitation", {"rehabilitation"}),
        ("d'insertion", {"rehabilitation"}),
        # The actor's names, folded too, and with a word of the object.
        ("helene lefevre", {"comment"}),
        ("lefevre bancs", {"comment"}),
        ("martin jardins", {"jardins"}),
        ("lefevre jardins", set()),
    ],
)
def test_the_journal_finds_words_without_their_accents(client, events, text, expected):
    client.force_login(f.UserFactory(secretariat=True))

    response = client.get(reverse("audit:log"), {"q": text})

    by_pk = {event.pk: name for name, event in events.items()}
    found = {by_pk[e.pk] for e in response.context["page_obj"].object_list}
    assert found == expected


@pytest.mark.skipif(not POSTGRESQL, reason="GIN trigram indexes are PostgreSQL's")
def test_the_search_uses_the_trigram_indexes(events):
    """With sequential scans (and plain index scans, which on a few rows the
    planner would rather run through another index) disabled, the planner
    answers the journal's search from the indexes on cucs_fold(column)."""
    qs = selectors.search_events({"q": "rehabilitation"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = qs.explain()

    assert "auditevent_target_label_fold_trgm" in plan
    assert "auditevent_comment_fold_trgm" in plan

"""The programming's search box: words of the action or of its proposal's
title, accents and case ignored (issue 17), on both backends; PostgreSQL
serves it with the GIN trigram indexes of declinaison/migrations/0004."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from ateliers.models import Proposal
from declinaison import selectors

from .support import extend_world
from .test_services import create

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


@pytest.fixture
def actions(world):
    validated = world.proposals[Proposal.Status.VALIDATED]
    Proposal.objects.filter(pk=validated.pk).update(
        title="Clauses d’insertion dans les marchés de réhabilitation"
    )
    return {
        "idees": create(world, title="Une « Boîte à idées » dans chaque hall"),
        "jardins": create(
            world,
            title="Jardinage au pied des tours",
            description="Des **jardins partagés** entretenus par les habitants.",
        ),
        **world.actions,
    }


def found(client, world, actions, **query) -> set[str]:
    client.force_login(world.people["secretariat"])
    response = client.get(reverse("declinaison:programming") + "?" + urlencode(query))
    assert response.status_code == 200
    by_pk = {action.pk: name for name, action in actions.items()}
    return {by_pk[action.pk] for action in response.context["actions"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boite a idees", {"idees"}),
        ("BOÎTE À IDÉES", {"idees"}),
        ("jardins partages", {"jardins"}),
        # The proposal's title: every action declining it.
        ("rehabilitation", {"idees", "jardins", "ours", "sem"}),
        ("rehabilitation boite", {"idees"}),
        ("rive-de-gier marchant", {"sem"}),
        ("introuvable", set()),
    ],
)
def test_the_programming_finds_words_without_their_accents(
    client, world, actions, text, expected
):
    assert found(client, world, actions, q=text) == expected


def test_the_search_combines_with_the_filters(client, world, actions):
    assert found(client, world, actions, q="rehabilitation", status="done") == set()


def test_punctuation_alone_or_too_long_a_search_lists_everything(
    client, world, actions
):
    """No word, no search; more than the field's 200 characters: the field's
    error next to it, and the other filters still apply."""
    everything = set(actions)

    assert found(client, world, actions, q="« – »") == everything
    assert found(client, world, actions, q="x" * 201) == everything

    response = client.get(reverse("declinaison:programming"), {"q": "x" * 201})
    assert "q" in response.context["filter_form"].errors


def test_the_territory_page_has_the_search_box_too(client, world, actions):
    client.force_login(world.people["secretariat"])

    response = client.get(
        reverse("declinaison:territory", args=["gier"]), {"q": "boite a idees"}
    )

    assert [a.pk for a in response.context["actions"]] == [actions["idees"].pk]
    assert 'name="q"' in response.content.decode()


@pytest.mark.skipif(not POSTGRESQL, reason="GIN trigram indexes are PostgreSQL's")
def test_the_search_uses_the_trigram_indexes(actions):
    """With sequential and plain index scans disabled, the planner answers the
    programming's search from the indexes on cucs_fold(column)."""
    qs = selectors.filter_actions(selectors.actions_for_listing(), {"q": "jardins"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = qs.explain()

    assert "siteaction_title_fold_trgm" in plan
    assert "siteaction_description_fold_trgm" in plan

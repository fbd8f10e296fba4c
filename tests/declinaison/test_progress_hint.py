"""A progress above 0 % with the status « Programmée » gets a hint: the
update is saved (the person may know better), then the action's page, the
programming's rows and the proposal's table of actions say what to check."""

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from ateliers.models import Proposal
from declinaison.models import SiteAction

from .support import extend_world

pytestmark = pytest.mark.django_db

PLANNED = SiteAction.Status.PLANNED
IN_PROGRESS = SiteAction.Status.IN_PROGRESS
HINT = 'class="notice-warning status-hint"'


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


def record(client, world, action, status, progress):
    client.force_login(world.people["member"])
    return client.post(
        reverse("declinaison:action_progress", kwargs={"pk": action.pk}),
        {
            "base_version": SiteAction.objects.get(pk=action.pk).version,
            "status": status,
            "progress": str(progress),
            "body": "Point d’étape.",
        },
    )


@pytest.mark.parametrize(
    "status, progress, hinted",
    [
        (SiteAction.Status.PLANNED, 0, False),
        (SiteAction.Status.PLANNED, 5, True),
        (SiteAction.Status.PLANNED, 40, True),
        (SiteAction.Status.IN_PROGRESS, 40, False),
        (SiteAction.Status.DONE, 100, False),
        (SiteAction.Status.ABANDONED, 20, False),
    ],
)
def test_only_a_planned_action_above_0_percent_is_hinted(status, progress, hinted):
    """Read from the action's own two fields, so that a list pays no query."""
    action = SiteAction(status=status, progress=progress)

    assert action.progress_contradicts_status is hinted


def test_a_planned_action_at_40_percent_is_saved_with_a_warning(client, world):
    """Not refused: the update is recorded, and the message after it asks
    whether the action has started."""
    action = world.actions["ours"]

    response = record(client, world, action, PLANNED, 40)

    assert response.status_code == 302
    saved = SiteAction.objects.get(pk=action.pk)
    assert (saved.status, saved.progress) == (PLANNED, 40)
    said = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    assert [level for level, _ in said] == [constants.SUCCESS, constants.WARNING]
    warning = said[1][1]
    # In the page's language, whatever its spaces and quotation marks.
    assert "40" in warning
    assert str(PLANNED.label) in warning
    assert str(IN_PROGRESS.label) in warning


def test_an_action_in_progress_gets_no_warning(client, world):
    response = record(client, world, world.actions["ours"], IN_PROGRESS, 40)

    assert response.status_code == 302
    levels = [m.level for m in get_messages(response.wsgi_request)]
    assert levels == [constants.SUCCESS]


def test_the_action_pages_keep_the_hint_until_the_status_moves(client, world):
    """The action's page and its progress form say what to check, as long as
    the action stays planned above 0 %."""
    action = world.actions["ours"]
    record(client, world, action, PLANNED, 40)
    pages = [
        reverse("declinaison:action_detail", kwargs={"pk": action.pk}),
        reverse("declinaison:action_progress", kwargs={"pk": action.pk}),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert html.count(HINT) == 1, url
        assert str(PLANNED.label) in html

    record(client, world, action, IN_PROGRESS, 40)

    for url in pages:
        assert HINT not in client.get(url).content.decode(), url


def test_the_programming_rows_and_the_proposal_table_show_the_hint(client, world):
    """Only on the row of the contradictory action: "sem" stays at 0 %."""
    ours, sem = world.actions["ours"], world.actions["sem"]
    record(client, world, ours, PLANNED, 40)
    pages = [
        reverse("declinaison:programming"),
        world.proposals[Proposal.Status.VALIDATED].get_absolute_url(),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert html.count(HINT) == 1, url
        hint_at = html.index(HINT)
        # The hint follows the action's own row, not the other one's.
        assert html.rfind(ours.title, 0, hint_at) > html.rfind(sem.title, 0, hint_at)

"""« Prête à soumettre »: a member tells the co-animators that a draft is
ready (ateliers/services.py proposal_signal_ready).

In the world, ``ours`` is co-animated by ``landlord_referent`` and
``public_coanimator``; ``member`` is a volunteer of it and the author of its
proposals.
"""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ateliers import services
from ateliers.models import Proposal
from ateliers.selectors import memberships_of
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from cucs_portal import notifications
from cucs_portal.models import DigestItem
from cucs_portal.notifications import Delivery
from dashboard.selectors import tasks_for
from tests import factories as f

S = Proposal.Status
pytestmark = pytest.mark.django_db


def signal(client, world, role="member", status=S.DRAFT):
    client.force_login(world.people[role])
    proposal = world.proposals[status]
    return client.post(
        reverse("ateliers:proposal_signal_ready", kwargs={"pk": proposal.pk})
    )


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_co_animators_are_told_and_the_journal_records_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://cucs.example.org"
    proposal = world.proposals[S.DRAFT]

    with django_capture_on_commit_callbacks(execute=True):
        response = signal(client, world)

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [
            world.people["landlord_referent"].email,
            world.people["public_coanimator"].email,
        ]
    )
    message = mailoutbox[0]
    assert proposal.reference in message.subject
    assert str(world.people["member"]) in message.body
    assert f"https://cucs.example.org{proposal.get_absolute_url()}" in message.body
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.ready_by == world.people["member"] and saved.ready_at
    assert (saved.status, saved.version) == (S.DRAFT, proposal.version)
    event = AuditEvent.for_object(proposal).get()
    assert (event.action, event.actor) == (
        AteliersVerb.SIGNAL_READY,
        world.people["member"],
    )


def test_a_co_animator_who_signals_is_not_told_of_their_own_act(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signal(client, world, role="landlord_referent")

    assert [m.to for m in mailoutbox] == [[world.people["public_coanimator"].email]]


def test_a_co_animator_who_chose_the_digest_finds_it_there(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    referent = world.people["landlord_referent"]
    notifications.preferences_set(
        user=referent, choices={"proposal_ready": Delivery.DIGEST}
    )

    with django_capture_on_commit_callbacks(execute=True):
        signal(client, world)

    assert [m.to for m in mailoutbox] == [[world.people["public_coanimator"].email]]
    (item,) = DigestItem.objects.filter(user=referent)
    assert world.proposals[S.DRAFT].reference in item.subject


def test_signalling_twice_says_who_did_and_tells_nobody_again(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    signal(client, world)
    mailoutbox.clear()
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = signal(client, world, role="public_coanimator")

    assert response.status_code == 302
    (note,) = texts(response)
    assert str(world.people["member"]) in note
    assert mailoutbox == []
    assert AuditEvent.for_object(world.proposals[S.DRAFT]).count() == 1
    saved = Proposal.objects.get(pk=world.proposals[S.DRAFT].pk)
    assert saved.ready_by == world.people["member"]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHANGES_REQUESTED, S.WITHDRAWN])
def test_a_proposal_no_longer_a_draft_is_refused_with_a_message(
    client, world, mailoutbox, status
):
    response = signal(client, world, status=status)

    assert response.status_code == 302
    assert response.url == world.proposals[status].get_absolute_url()
    (error,) = texts(response)
    assert str(Proposal.Status(status).label) in error
    assert mailoutbox == []
    assert Proposal.objects.get(pk=world.proposals[status].pk).ready_at is None


def test_editing_the_draft_afterwards_keeps_the_signal(client, world):
    signal(client, world)
    proposal = Proposal.objects.get(pk=world.proposals[S.DRAFT].pk)

    services.proposal_update(
        proposal=proposal,
        data={"title": "Un titre retouché"},
        editor=world.people["member"],
        base_version=proposal.version,
    )

    assert Proposal.objects.get(pk=proposal.pk).ready_by == world.people["member"]


def test_the_proposal_page_shows_who_signalled_it_and_when(client, world):
    proposal = world.proposals[S.DRAFT]
    client.force_login(world.people["member"])
    before = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("ateliers:proposal_signal_ready", kwargs={"pk": proposal.pk}) in (
        before
    )

    signal(client, world)
    client.force_login(world.people["public_coanimator"])
    after = client.get(proposal.get_absolute_url()).content.decode()

    assert 'id="ready-signal"' in after
    assert str(world.people["member"]) in after
    assert "status-badge--ready" in after
    # Signalled: the button is gone.
    client.force_login(world.people["member"])
    again = client.get(proposal.get_absolute_url()).content.decode()
    assert (
        reverse("ateliers:proposal_signal_ready", kwargs={"pk": proposal.pk})
        not in again
    )


def ready_drafts(world, n, first=100):
    member = world.people["member"]
    for number in range(n):
        f.ProposalFactory(
            atelier=world.ours,
            enjeu=world.proposals[S.DRAFT].enjeu,
            number=first + number,
            created_by=member,
            ready_at=timezone.now(),
            ready_by=member,
        )


def ready_task(world, found):
    link = f"{reverse('ateliers:proposal_list')}?status=draft&atelier={world.ours.pk}"
    return [(t.url, t.count) for t in found if t.url == link]


def test_the_co_animators_dashboard_counts_the_drafts_ready_to_submit(world):
    """Beside the drafts to submit, the ones a member said are ready, linked
    to the atelier's drafts; the same queries whether 1 or 5 are ready (the
    count is part of the drafts' query)."""
    referent = world.people["landlord_referent"]
    memberships = memberships_of(user=referent)
    ready_drafts(world, 1)
    with CaptureQueriesContext(connection) as one:
        found = tasks_for(user=referent, memberships=memberships)
    # All the drafts (the world's and the ready one), then the ready one.
    assert [count for _url, count in ready_task(world, found)] == [2, 1]
    labels = [str(t.label) for t in found]
    assert any(str(world.ours) in label for label in labels)
    ready_drafts(world, 4, first=200)
    with CaptureQueriesContext(connection) as five:
        found = tasks_for(user=referent, memberships=memberships)
    assert [count for _url, count in ready_task(world, found)] == [6, 5]
    assert len(five) == len(one)


def test_a_volunteers_dashboard_shows_no_such_task(world):
    member = world.people["member"]
    ready_drafts(world, 2)

    found = tasks_for(user=member, memberships=memberships_of(user=member))

    assert ready_task(world, found) == []

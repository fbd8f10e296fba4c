"""The dashboard's "my tasks": what waits for the person, role by role, with how
many and where to go (dashboard/selectors.py tasks_for).

In the world, atelier ``ours`` and atelier ``theirs`` have one proposal in each
status, and ``theirs`` a seventh, sent back by the closed commission session;
two are submitted; the open round has axes 2 and 3 and the delegate's
organisation answered on axis 2 only.
"""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from commission import services
from commission.models import AxisPosition
from tests import factories as f

S = Proposal.Status
pytestmark = pytest.mark.django_db

PROPOSALS = reverse("ateliers:proposal_list")


def sent_back(atelier, n=1):
    """The task linking to exactly the atelier's proposals sent back."""
    return (f"{PROPOSALS}?status=changes_requested&atelier={atelier.pk}", n)


def drafts(atelier, n=1):
    return (f"{PROPOSALS}?status=draft&atelier={atelier.pk}", n)


QUEUE = reverse("commission:review_queue")


def tasks(client, user) -> list[tuple[str, int]]:
    """The dashboard's tasks as (where to go, how many), and each shown."""
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    found = response.context["tasks"]
    for task in found:
        assert task.url in html.replace("&amp;", "&")
    return [(task.url, task.count) for task in found]


def open_round(world):
    return (world.rounds["open"].get_absolute_url(), 1)


def convened(world, count=1):
    """The world's convened session: ``count`` positions recorded, or to
    record."""
    return (world.sessions["convened"].get_absolute_url(), count)


# Of the two submitted proposals, the convened session has ``ours``'s on its
# agenda; ``theirs``'s is on none yet.
UNPLACED = (QUEUE, 1)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The co-animators submit the atelier's drafts, and rework what came back.
        ("landlord_referent", lambda w: [sent_back(w.ours), drafts(w.ours)]),
        ("public_coanimator", lambda w: [sent_back(w.ours), drafts(w.ours)]),
        # Theirs: the world's proposal sent back, and the one the closed
        # session sent back.
        ("other_coanimator", lambda w: [sent_back(w.theirs, 2), drafts(w.theirs)]),
        # Volunteers rework what came back; submitting is not theirs.
        ("member", lambda w: [sent_back(w.ours)]),
        ("other_member", lambda w: [sent_back(w.theirs, 2)]),
        # The commission: the two submitted proposals; the open round, where
        # its organisation has not answered on axis 3.
        ("commission", lambda w: [(QUEUE, 2), open_round(w)]),
        # The secretariat follows the open round (one answer so far) and the
        # convened session (one position), and puts the submitted proposal on
        # no agenda yet on a session's.
        ("secretariat", lambda w: [open_round(w), convened(w), UNPLACED]),
        ("superuser", lambda w: [open_round(w), convened(w), UNPLACED]),
        ("partner", lambda w: []),
        ("plain", lambda w: []),
    ],
)
def test_each_role_sees_what_waits_for_them(client, world, role, expected):
    assert tasks(client, world.people[role]) == expected(world)


def test_a_delegate_whose_organisation_answered_everything_has_no_round_task(
    client, world
):
    """Once the organisation has a position on every axis of the round, the
    round leaves the delegate's tasks (it stays the secretariat's)."""
    delegate = world.people["commission"]
    services.position_record(
        validation_round=world.rounds["open"],
        axis=world.rounds["open"].axes.get(number=3),
        organisation=delegate.organisation,
        position=AxisPosition.Position.APPROVE,
        comment="",
        acting_user=delegate,
    )

    assert tasks(client, delegate) == [(QUEUE, 2)]
    assert tasks(client, world.people["secretariat"]) == [
        (world.rounds["open"].get_absolute_url(), 2),
        convened(world),
        UNPLACED,
    ]


def test_another_delegate_counts_every_axis_still_to_answer(client, world):
    """The other member organisation has answered nothing: two axes to go."""
    silent = f.UserFactory(
        organisation=world.commission_members[1], is_commission_delegate=True
    )

    assert tasks(client, silent) == [
        (QUEUE, 2),
        convened(world),
        (world.rounds["open"].get_absolute_url(), 2),
    ]


def test_a_closed_round_is_nobodys_task(client, world):
    services.round_close(
        validation_round=world.rounds["open"],
        acting_user=world.people["secretariat"],
    )

    assert tasks(client, world.people["commission"]) == [(QUEUE, 2)]
    assert tasks(client, world.people["secretariat"]) == [convened(world), UNPLACED]


def test_nothing_waiting_means_no_task(client, world):
    """Without drafts or proposals sent back, the co-animator has no task;
    without submitted proposals, the commission has only its round."""
    Proposal.objects.filter(
        status__in=[S.DRAFT, S.CHANGES_REQUESTED, S.SUBMITTED]
    ).update(status=S.WITHDRAWN)

    assert tasks(client, world.people["landlord_referent"]) == []
    assert tasks(client, world.people["commission"]) == [open_round(world)]


def test_the_counts_follow_the_data(client, world):
    """Two more drafts in ``ours``: three to submit; another proposal sent back
    in ``theirs`` does not concern ``ours``."""
    f.ProposalFactory.create_batch(2, atelier=world.ours, status=S.DRAFT)
    f.ProposalFactory(atelier=world.theirs, status=S.CHANGES_REQUESTED)

    assert tasks(client, world.people["landlord_referent"]) == [
        sent_back(world.ours),
        drafts(world.ours, 3),
    ]


def test_sheets_waiting_for_review_are_the_secretariats_task(client, world):
    """Capitalisation: the secretariat is told how many experience sheets wait
    for its review; the author of a returned sheet is told to rework it; a
    draft or a published sheet asks nothing of anyone."""
    from tests.capitalisation.factories import ExperienceSheetFactory

    member = world.people["member"]
    for status in ("submitted", "submitted", "returned", "draft", "published"):
        ExperienceSheetFactory(author=member, status=status)

    secretariat = tasks(client, world.people["secretariat"])
    mine = tasks(client, member)

    assert (reverse("capitalisation:review_queue"), 2) in secretariat
    assert (reverse("capitalisation:mine"), 1) in mine
    assert reverse("capitalisation:review_queue") not in dict(mine)
    assert reverse("capitalisation:mine") not in dict(
        tasks(client, world.people["other_member"])
    )


def test_an_invited_person_and_the_secretariat_see_the_seminar_replies(client, world):
    """The seminar: a signed-in guest who has not replied is led to their reply
    page while replies are open; the secretariat sees how many guests have not
    replied. A past seminar, or a reply given, asks nothing."""
    import datetime

    from django.utils import timezone

    from tests.seminaire.factories import EventFactory, InvitationFactory

    member = world.people["member"]
    coming = EventFactory(title="Séminaire de restitution")
    mine = InvitationFactory(event=coming, user=member, email=member.email or "")
    InvitationFactory(event=coming)
    InvitationFactory(event=coming, reply="attending", replied_at=timezone.now())
    past = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    InvitationFactory(event=past, user=member, email="autre@example.org")

    guest_tasks = tasks(client, member)
    secretariat_tasks = tasks(client, world.people["secretariat"])

    assert (mine.get_absolute_url(), 1) in guest_tasks
    assert [url for url, _n in guest_tasks if "/seminaire/" in url] == [
        mine.get_absolute_url()
    ]
    assert (
        f"{coming.get_absolute_url()}?reply=pending#guests",
        2,
    ) in secretariat_tasks
    assert past.get_absolute_url() not in " ".join(u for u, _n in secretariat_tasks)


def test_a_convened_session_is_the_delegates_and_the_secretariats_task(client, world):
    """Convened with the submitted proposal no agenda had: a delegate who has
    not answered has it to answer, the secretariat follows the session to close
    it, and no submitted proposal is left off an agenda."""
    from django.utils import timezone

    from commission.models import ItemPosition

    session = services.session_convene(
        starts_at=timezone.now(),
        place="Siège d’AMO2SM",
        proposals=[world.their_proposals[S.SUBMITTED]],
        axes=[],
        acting_user=world.people["secretariat"],
    )
    delegate = world.people["commission"]
    here = session.get_absolute_url()
    secretariat = world.people["secretariat"]

    assert tasks(client, delegate) == [(QUEUE, 2), (here, 1), open_round(world)]
    # The sooner session first (the world's is convened for 2030).
    assert tasks(client, secretariat) == [open_round(world), (here, 0), convened(world)]

    services.item_position_record(
        item=session.items.get(),
        organisation=delegate.organisation,
        position=ItemPosition.Position.APPROVE,
        comment="",
        base_version=0,
        acting_user=delegate,
    )
    assert tasks(client, delegate) == [(QUEUE, 2), open_round(world)]
    assert tasks(client, secretariat) == [open_round(world), (here, 1), convened(world)]

"""Who reads which proposal: the ``ateliers.view_proposal`` permission and
``Proposal.objects.visible_to`` are one rule, checked here cell by cell.

Roles are relative to the atelier of the proposal (see tests/world.py).
"""

import pytest

from ateliers.models import Proposal
from tests import factories as f
from tests.world import ROLES

S = Proposal.Status
STATUSES = (
    S.DRAFT,
    S.SUBMITTED,
    S.CHANGES_REQUESTED,
    S.VALIDATED,
    S.REJECTED,
    S.WITHDRAWN,
)
Y, N = True, False

# fmt: off
#                       draft  submitted  changes   validated  rejected  withdrawn
#                                         requested
VIEW_PROPOSAL = {
    "anonymous":         (N,    N,         N,        N,         N,        N),
    "member":            (Y,    Y,         Y,        Y,         Y,        Y),
    "other_member":      (N,    Y,         Y,        Y,         Y,        N),
    "landlord_referent": (Y,    Y,         Y,        Y,         Y,        Y),
    "public_coanimator": (Y,    Y,         Y,        Y,         Y,        Y),
    "other_coanimator":  (N,    Y,         Y,        Y,         Y,        N),
    "commission":        (N,    Y,         Y,        Y,         Y,        N),
    "secretariat":       (Y,    Y,         Y,        Y,         Y,        Y),
    "partner":           (N,    N,         N,        Y,         N,        N),
    "plain":             (N,    N,         N,        N,         N,        N),
    "superuser":         (Y,    Y,         Y,        Y,         Y,        Y),
}
# fmt: on

pytestmark = pytest.mark.django_db


def test_the_matrix_has_every_role_and_every_status():
    """A role or a status added later gets a row or a column here."""
    assert set(VIEW_PROPOSAL) == set(ROLES)
    assert set(STATUSES) == set(Proposal.Status.values)
    assert all(len(row) == len(STATUSES) for row in VIEW_PROPOSAL.values())


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        (role, status, row[column])
        for role, row in VIEW_PROPOSAL.items()
        for column, status in enumerate(STATUSES)
    ],
)
def test_view_proposal(world, role, status, expected):
    """Secretariat and superusers read everything; the people of an atelier read
    all of it; other ateliers and the commission read what went to the
    commission (never drafts or withdrawn ones); partners read only validated
    proposals; anyone else reads nothing."""
    user = world.people[role]
    proposal = world.proposals[status]

    assert user.has_perm("ateliers.view_proposal", proposal) is expected
    assert Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists() is (
        expected
    )


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_exactly_the_proposals_the_permission_allows(world, role):
    """visible_to() and has_perm() agree on every proposal of every atelier, so a
    list never shows a proposal whose page would be refused, nor hides one."""
    user = world.people[role]

    listed = set(Proposal.objects.visible_to(user))
    allowed = {
        p for p in Proposal.objects.all() if user.has_perm("ateliers.view_proposal", p)
    }

    assert listed == allowed
    # One per status in each atelier, and the one the closed session decided.
    assert len(Proposal.objects.all()) == 2 * len(STATUSES) + 1


@pytest.mark.parametrize("role", ROLES)
def test_the_people_of_an_atelier_read_other_ateliers_like_the_commission(world, role):
    """Belonging to one atelier opens none of another atelier's drafts."""
    user = world.people[role]
    readable = {
        status
        for status, proposal in world.their_proposals.items()
        if user.has_perm("ateliers.view_proposal", proposal)
    }
    expected_row = {
        "member": "commission",
        "landlord_referent": "commission",
        "public_coanimator": "commission",
        "other_member": "member",
        "other_coanimator": "member",
    }.get(role, role)

    assert readable == {
        status
        for status, allowed in zip(STATUSES, VIEW_PROPOSAL[expected_row], strict=True)
        if allowed
    }


@pytest.mark.parametrize("perm", ["axes.view_axis", "ateliers.view_atelier"])
@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_person_reads_axes_and_ateliers(world, role, perm):
    """Axes and ateliers are the group's shared frame; anonymous visitors read
    nothing."""
    user = world.people[role]
    target = world.ours.axis if perm == "axes.view_axis" else world.ours

    assert user.has_perm(perm, target) is (role != "anonymous")


@pytest.mark.parametrize(
    ("roles", "readable"),
    [
        pytest.param(
            {"is_partner": True, "commission": True},
            {S.SUBMITTED, S.CHANGES_REQUESTED, S.VALIDATED, S.REJECTED},
            id="partner-and-commission",
        ),
        pytest.param(
            {"is_partner": True, "secretariat": True},
            set(STATUSES),
            id="partner-and-secretariat",
        ),
    ],
)
def test_roles_add_up(world, roles, readable):
    """Someone holding several roles reads what any of them allows."""
    user = f.UserFactory(**roles)

    assert {
        status
        for status, proposal in world.proposals.items()
        if user.has_perm("ateliers.view_proposal", proposal)
    } == readable
    assert (
        set(
            Proposal.objects.visible_to(user)
            .filter(atelier=world.ours)
            .values_list("status", flat=True)
        )
        == readable
    )

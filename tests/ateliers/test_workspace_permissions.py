"""The atelier workspace: who may run an atelier, write, submit, withdraw,
comment on and read the history of a proposal. One table per permission, every
role in every state.

Roles are relative to atelier ``ours`` (see tests/world.py): ``other_member``
and ``other_coanimator`` are a volunteer and the landlord referent of another
atelier. A superuser holds every permission through Django's ModelBackend,
whatever the rules say: their row is all "yes", including an edit of a validated
proposal. The services still refuse a transition from the wrong status (see
tests/ateliers/test_services.py and the superuser column of tests/test_urls.py).
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
# On the atelier itself.
#                      manage_atelier  add_proposal
ATELIER_PERMISSIONS = {
    "anonymous":         (N,             N),
    "member":            (N,             Y),
    "other_member":      (N,             N),
    "landlord_referent": (Y,             Y),
    "public_coanimator": (Y,             Y),
    "other_coanimator":  (N,             N),
    "commission":        (N,             N),
    "secretariat":       (Y,             N),
    "partner":           (N,             N),
    "plain":             (N,             N),
    "superuser":         (Y,             Y),
}

#                       draft  submitted  changes   validated  rejected  withdrawn
#                                         requested
CHANGE_PROPOSAL = {
    "anonymous":         (N,    N,         N,        N,         N,        N),
    "member":            (Y,    N,         Y,        N,         N,        N),
    "other_member":      (N,    N,         N,        N,         N,        N),
    "landlord_referent": (Y,    N,         Y,        N,         N,        N),
    "public_coanimator": (Y,    N,         Y,        N,         N,        N),
    "other_coanimator":  (N,    N,         N,        N,         N,        N),
    "commission":        (N,    N,         N,        N,         N,        N),
    "secretariat":       (N,    N,         N,        N,         N,        N),
    "partner":           (N,    N,         N,        N,         N,        N),
    "plain":             (N,    N,         N,        N,         N,        N),
    "superuser":         (Y,    Y,         Y,        Y,         Y,        Y),
}

SUBMIT_PROPOSAL = {
    "anonymous":         (N,    N,         N,        N,         N,        N),
    "member":            (N,    N,         N,        N,         N,        N),
    "other_member":      (N,    N,         N,        N,         N,        N),
    "landlord_referent": (Y,    N,         Y,        N,         N,        N),
    "public_coanimator": (Y,    N,         Y,        N,         N,        N),
    "other_coanimator":  (N,    N,         N,        N,         N,        N),
    "commission":        (N,    N,         N,        N,         N,        N),
    "secretariat":       (N,    N,         N,        N,         N,        N),
    "partner":           (N,    N,         N,        N,         N,        N),
    "plain":             (N,    N,         N,        N,         N,        N),
    "superuser":         (Y,    Y,         Y,        Y,         Y,        Y),
}

# The world's proposals are created by ``member`` and authored by ``member`` and
# ``landlord_referent``.
WITHDRAW_PROPOSAL = {
    "anonymous":         (N,    N,         N,        N,         N,        N),
    "member":            (Y,    N,         N,        N,         N,        N),
    "other_member":      (N,    N,         N,        N,         N,        N),
    "landlord_referent": (Y,    N,         N,        N,         N,        N),
    "public_coanimator": (Y,    N,         N,        N,         N,        N),
    "other_coanimator":  (N,    N,         N,        N,         N,        N),
    "commission":        (N,    N,         N,        N,         N,        N),
    "secretariat":       (N,    N,         N,        N,         N,        N),
    "partner":           (N,    N,         N,        N,         N,        N),
    "plain":             (N,    N,         N,        N,         N,        N),
    "superuser":         (Y,    Y,         Y,        Y,         Y,        Y),
}

# The discussion and the history: whoever reads the proposal AND belongs to its
# atelier, the commission or the secretariat. Never partners; not the people of
# another atelier, although they read what went to the commission.
WORKING_GROUP = {
    "anonymous":         (N,    N,         N,        N,         N,        N),
    "member":            (Y,    Y,         Y,        Y,         Y,        Y),
    "other_member":      (N,    N,         N,        N,         N,        N),
    "landlord_referent": (Y,    Y,         Y,        Y,         Y,        Y),
    "public_coanimator": (Y,    Y,         Y,        Y,         Y,        Y),
    "other_coanimator":  (N,    N,         N,        N,         N,        N),
    "commission":        (N,    Y,         Y,        Y,         Y,        N),
    "secretariat":       (Y,    Y,         Y,        Y,         Y,        Y),
    "partner":           (N,    N,         N,        N,         N,        N),
    "plain":             (N,    N,         N,        N,         N,        N),
    "superuser":         (Y,    Y,         Y,        Y,         Y,        Y),
}
# fmt: on

PROPOSAL_TABLES = {
    "ateliers.change_proposal": CHANGE_PROPOSAL,
    "ateliers.submit_proposal": SUBMIT_PROPOSAL,
    "ateliers.withdraw_proposal": WITHDRAW_PROPOSAL,
    "ateliers.comment_proposal": WORKING_GROUP,
    "ateliers.view_proposal_history": WORKING_GROUP,
}

pytestmark = pytest.mark.django_db


def cells(table):
    return [
        pytest.param(role, status, row[column], id=f"{role}-{status}")
        for role, row in table.items()
        for column, status in enumerate(STATUSES)
    ]


def test_every_table_has_every_role_and_every_status():
    """A role or a status added later gets a row or a column in each table."""
    assert set(STATUSES) == set(S.values)
    for table in (ATELIER_PERMISSIONS, *PROPOSAL_TABLES.values()):
        assert set(table) == set(ROLES)
    for table in PROPOSAL_TABLES.values():
        assert all(len(row) == len(STATUSES) for row in table.values())


@pytest.mark.parametrize("role", ROLES)
def test_manage_atelier(world, role):
    """Membership, sessions and enjeux are run by the atelier's two co-animators
    and the secretariat; not by its volunteers, nor by the co-animator of another
    atelier."""
    user = world.people[role]

    assert (
        user.has_perm("ateliers.manage_atelier", world.ours)
        is (ATELIER_PERMISSIONS[role][0])
    )


@pytest.mark.parametrize("role", ROLES)
def test_add_proposal(world, role):
    """The people of the atelier (volunteers and co-animators) write its
    proposals; the secretariat, the commission and partners do not."""
    user = world.people[role]

    assert (
        user.has_perm("ateliers.add_proposal", world.ours)
        is (ATELIER_PERMISSIONS[role][1])
    )


@pytest.mark.parametrize(("role", "status", "expected"), cells(CHANGE_PROPOSAL))
def test_change_proposal(world, role, status, expected):
    """The people of the atelier edit a draft, or a proposal the commission sent
    back for changes; once submitted, decided or withdrawn it is frozen."""
    user = world.people[role]

    assert user.has_perm("ateliers.change_proposal", world.proposals[status]) is (
        expected
    )


@pytest.mark.parametrize(("role", "status", "expected"), cells(SUBMIT_PROPOSAL))
def test_submit_proposal(world, role, status, expected):
    """Only the co-animators of the atelier send a draft, or a proposal sent
    back, to the commission."""
    user = world.people[role]

    assert user.has_perm("ateliers.submit_proposal", world.proposals[status]) is (
        expected
    )


@pytest.mark.parametrize(("role", "status", "expected"), cells(WITHDRAW_PROPOSAL))
def test_withdraw_proposal(world, role, status, expected):
    """An author or a co-animator withdraws a draft; nothing else is withdrawn."""
    user = world.people[role]

    assert user.has_perm("ateliers.withdraw_proposal", world.proposals[status]) is (
        expected
    )


@pytest.mark.parametrize(("role", "status", "expected"), cells(WORKING_GROUP))
def test_comment_proposal(world, role, status, expected):
    """The working group discusses what it reads: the atelier all of its
    proposals, the commission what went to it, the secretariat everything.
    Partners read validated proposals but never the discussion."""
    user = world.people[role]

    assert user.has_perm("ateliers.comment_proposal", world.proposals[status]) is (
        expected
    )


@pytest.mark.parametrize(("role", "status", "expected"), cells(WORKING_GROUP))
def test_view_proposal_history(world, role, status, expected):
    """The history follows the same rule as the discussion."""
    user = world.people[role]

    assert user.has_perm("ateliers.view_proposal_history", world.proposals[status]) is (
        expected
    )


@pytest.mark.parametrize("perm", [*PROPOSAL_TABLES, "ateliers.view_proposal"])
@pytest.mark.parametrize("role", ROLES)
def test_nothing_of_the_history_or_discussion_is_open_to_who_cannot_read(
    world, role, perm
):
    """No one but a superuser may act on, comment or read the history of a
    proposal they cannot read."""
    user = world.people[role]

    for proposal in world.proposals.values():
        if user.has_perm(perm, proposal) and role != "superuser":
            assert user.has_perm("ateliers.view_proposal", proposal), proposal


@pytest.mark.parametrize(
    ("perm", "table"),
    [
        ("ateliers.change_proposal", CHANGE_PROPOSAL),
        ("ateliers.submit_proposal", SUBMIT_PROPOSAL),
        ("ateliers.withdraw_proposal", WITHDRAW_PROPOSAL),
    ],
)
def test_the_people_of_another_atelier_act_on_its_proposals_not_on_ours(
    world, perm, table
):
    """Mirror image: the volunteer and the co-animator of ``theirs`` get on its
    proposals what ``member`` and ``landlord_referent`` get on ours (but they
    are not its authors, so only the co-animator withdraws)."""
    for role, mirror in (
        ("other_member", "member"),
        ("other_coanimator", "landlord_referent"),
    ):
        user = world.people[role]
        granted = {
            status
            for status, proposal in world.their_proposals.items()
            if user.has_perm(perm, proposal)
        }
        expected = {
            status
            for status, allowed in zip(STATUSES, table[mirror], strict=True)
            if allowed
        }
        if perm == "ateliers.withdraw_proposal" and role == "other_member":
            expected = set()  # not an author of theirs
        assert granted == expected, role


def test_a_co_author_outside_the_atelier_is_not_enough_to_edit(world):
    """Being listed as an author does not open the editing of another atelier's
    draft: editing follows the atelier, not the authorship."""
    outsider = f.UserFactory(landlord_staff=True)
    draft = world.their_proposals[S.DRAFT]
    draft.authors.add(outsider)

    assert not outsider.has_perm("ateliers.change_proposal", draft)
    assert not outsider.has_perm("ateliers.submit_proposal", draft)


def test_permissions_without_an_object_are_refused(world):
    """Asked without an atelier or a proposal, every workspace permission is
    refused, even to a co-animator (default deny)."""
    user = world.people["landlord_referent"]

    for perm in (
        "ateliers.manage_atelier",
        "ateliers.add_proposal",
        *PROPOSAL_TABLES,
    ):
        assert not user.has_perm(perm), perm

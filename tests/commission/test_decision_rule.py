"""The commission's rule on an axis (commission/decision.py), at its edges.

Quorum: ceil(member organisations × COMMISSION_QUORUM), at least one. An axis is
validated when the answers reach the quorum and strictly more than half of them
approve, an approval with reservations being an approval.
"""

import pytest

from commission import decision
from commission.decision import Tally


@pytest.fixture(autouse=True)
def half(settings):
    settings.COMMISSION_QUORUM = "1/2"


@pytest.mark.parametrize(
    ("tally", "validated"),
    [
        pytest.param(Tally(5, 2, 0, 0), False, id="no quorum, all approve"),
        pytest.param(Tally(5, 3, 0, 0), True, id="exactly the quorum, all approve"),
        pytest.param(Tally(5, 2, 0, 1), True, id="exactly the quorum, 2 to 1"),
        pytest.param(Tally(4, 2, 0, 2), False, id="tie"),
        pytest.param(Tally(4, 1, 1, 2), False, id="tie with reservations"),
        pytest.param(Tally(5, 1, 2, 2), True, id="reservations count as approvals"),
        pytest.param(Tally(5, 0, 3, 0), True, id="all with reservations"),
        pytest.param(Tally(5, 5, 0, 0), True, id="all approve"),
        pytest.param(Tally(5, 0, 0, 5), False, id="all oppose"),
        pytest.param(Tally(5, 1, 0, 4), False, id="a minority approves"),
        pytest.param(Tally(0, 0, 0, 0), False, id="zero members, no answer"),
        pytest.param(Tally(0, 1, 0, 0), True, id="zero members, one approval"),
        pytest.param(Tally(1, 0, 0, 0), False, id="one member, silent"),
        pytest.param(Tally(1, 1, 0, 0), True, id="one member approves"),
    ],
)
def test_an_axis_is_validated_by_quorum_and_majority(tally, validated):
    """Validated when answers ≥ quorum and approvals are strictly more than half
    of the answers; never on a tie, never without the quorum."""
    assert decision.is_validated(tally) is validated


@pytest.mark.parametrize(
    ("members", "quorum"),
    [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (10, 5), (11, 6)],
)
def test_the_quorum_is_half_the_members_rounded_up_and_at_least_one(members, quorum):
    """Half of the members, rounded up; a commission with no member still needs
    one answer."""
    assert decision.quorum_required(members) == quorum


def test_the_tally_counts_reservations_as_approvals():
    """Answers are every position; approvals are approve + with reservations."""
    tally = Tally(members=7, approve=2, reservations=3, oppose=1)

    assert (tally.answers, tally.approvals) == (6, 5)


@pytest.mark.parametrize(
    ("quorum", "members", "required"),
    [
        ("2/3", 3, 2),
        ("2/3", 5, 4),
        ("2/3", 6, 4),
        ("2/3", 0, 1),
        ("0.5", 5, 3),
        ("1", 5, 5),
        ("1/3", 4, 2),
    ],
)
def test_the_quorum_follows_the_setting(settings, quorum, members, required):
    """COMMISSION_QUORUM (a fraction or a decimal) sets the share of members
    who must answer."""
    settings.COMMISSION_QUORUM = quorum

    assert decision.quorum_required(members) == required


def test_a_two_thirds_quorum_changes_the_outcome(settings):
    """With 5 members, 3 approvals validate under 1/2 but not under 2/3."""
    tally = Tally(members=5, approve=3, reservations=0, oppose=0)
    assert decision.is_validated(tally)

    settings.COMMISSION_QUORUM = "2/3"

    assert not decision.is_validated(tally)
    assert decision.is_validated(Tally(members=5, approve=3, reservations=1, oppose=0))


def test_the_rule_is_stated_with_the_quorum_in_use(settings):
    """The text shown with every decision names the quorum of the setting."""
    settings.COMMISSION_QUORUM = "2/3"

    text = decision.rule_text()

    assert "2/3" in text
    assert "1/2" not in text

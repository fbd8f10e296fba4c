"""The commission's rule for a session's items (commission/decision.py), at
its edges: quorum (abstentions take part), then a strict majority of the
positions expressed validates, or rejects; otherwise back to the atelier."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commission import decision
from commission.decision import Outcome, Tally

V, C, R, D = (
    Outcome.VALIDATED,
    Outcome.CHANGES_REQUESTED,
    Outcome.REJECTED,
    Outcome.DEFERRED,
)


@pytest.fixture(autouse=True)
def half(settings):
    settings.COMMISSION_QUORUM = "1/2"


def tally(members, approve=0, reservations=0, changes=0, oppose=0, abstain=0):
    return Tally(
        members=members,
        approve=approve,
        reservations=reservations,
        changes=changes,
        oppose=oppose,
        abstain=abstain,
    )


@pytest.mark.parametrize(
    ("counted", "expected"),
    [
        pytest.param(tally(5, approve=2), D, id="below the quorum"),
        pytest.param(tally(5, approve=3), V, id="exactly the quorum, all validate"),
        pytest.param(tally(5, abstain=3), D, id="quorum of abstentions only"),
        pytest.param(tally(5, approve=1, abstain=2), V, id="abstentions make quorum"),
        pytest.param(tally(4, approve=2, oppose=2), C, id="tie validate/reject"),
        pytest.param(tally(4, approve=1, reservations=1, changes=2), C, id="tie"),
        pytest.param(tally(5, reservations=3), V, id="reservations are approvals"),
        pytest.param(tally(5, approve=2, changes=1), V, id="2 of 3 validate"),
        pytest.param(tally(5, oppose=2, approve=1), R, id="2 of 3 reject"),
        pytest.param(tally(6, oppose=3, approve=2, changes=1), C, id="half reject"),
        pytest.param(tally(6, oppose=4, approve=2), R, id="4 of 6 reject"),
        pytest.param(tally(5, changes=3), C, id="all request changes"),
        pytest.param(tally(5, approve=1, changes=1, oppose=1), C, id="three ways"),
        pytest.param(
            tally(9, approve=4, changes=1, oppose=3, abstain=1),
            C,
            id="4 of 8 is no majority",
        ),
        pytest.param(
            tally(9, approve=5, changes=1, oppose=2, abstain=1), V, id="5 of 8 validate"
        ),
        pytest.param(tally(0), D, id="no member, no answer"),
        pytest.param(tally(0, approve=1), V, id="no member, one approval"),
        pytest.param(tally(1, oppose=1), R, id="one member rejects"),
    ],
)
def test_each_item_gets_one_of_the_rules_outcomes(counted, expected):
    assert decision.outcome(counted) == expected


def test_an_axis_is_validated_or_not_never_sent_back():
    assert decision.axis_outcome(tally(4, approve=2, oppose=2)) == (
        Outcome.NOT_VALIDATED
    )
    assert decision.axis_outcome(tally(4, approve=3, oppose=1)) == Outcome.VALIDATED
    assert decision.axis_outcome(tally(4, approve=1)) == Outcome.NOT_VALIDATED


counts = st.integers(min_value=0, max_value=12)


@settings(max_examples=300, deadline=None)
@given(
    members=st.integers(min_value=0, max_value=40),
    approve=counts,
    reservations=counts,
    changes=counts,
    oppose=counts,
    abstain=counts,
)
def test_the_rule_is_the_one_stated(
    members, approve, reservations, changes, oppose, abstain
):
    """For any tally: deferred exactly without the quorum or without a position
    expressed; validated exactly on a strict majority of approvals; rejected
    exactly on a strict majority of rejections; never both; a validated item
    still validates with one more approval, a rejected one with one more
    rejection (the rule is monotonic)."""
    counted = tally(members, approve, reservations, changes, oppose, abstain)
    result = decision.outcome(counted)
    expressed = approve + reservations + changes + oppose
    quorum = expressed + abstain >= decision.quorum_required(members) and expressed
    if not quorum:
        assert result == D
        return
    assert (result == V) == (2 * (approve + reservations) > expressed)
    assert (result == R) == (2 * oppose > expressed)
    assert result != D
    if result == V:
        assert (
            decision.outcome(
                tally(members, approve + 1, reservations, changes, oppose, abstain)
            )
            == V
        )
    if result == R:
        assert (
            decision.outcome(
                tally(members, approve, reservations, changes, oppose + 1, abstain)
            )
            == R
        )


def test_the_rule_is_stated_with_the_configured_quorum(settings):
    settings.COMMISSION_QUORUM = "2/3"
    text = decision.session_rule_text()
    assert "2/3" in text
    assert decision.quorum_required(9) == 6


def test_the_figures_are_written_out():
    text = decision.figures_text(tally(9, 4, 1, 2, 1, 1))
    assert "9" in text and "4" in text
    assert decision.figures_text(tally(9, 4, 1, 2, 1, 1)) == text

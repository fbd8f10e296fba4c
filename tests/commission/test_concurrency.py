"""Two commission members deciding at the same moment, or the secretariat
closing a round twice at once, for real: two threads, two connections,
committed transactions. Row locks (select_for_update) serialise them, so this
runs on PostgreSQL only."""

import datetime
import time

import pytest
from django.db import connection

from ateliers import services
from ateliers.models import Proposal, ProposalRevision
from audit.models import AuditEvent
from axes.models import Axis
from commission import decision
from commission import services as commission_services
from commission.models import AxisDecision, AxisPosition, ValidationRound
from commission.verbs import CommissionVerb
from tests import factories as f
from tests.ateliers.test_concurrency import at_the_same_moment
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database for each writer and has no row "
    "locks: select_for_update is a no-op there, so concurrent decisions are only "
    "meaningful on PostgreSQL (run with DATABASE_URL=postgres://…).",
)


def slowed(monkeypatch, module, name, seconds=0.3):
    """Makes ``module.name`` take ``seconds`` longer, so that the first thread
    still holds its lock when the second one asks for it."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


@pytest.fixture
def delegates(transactional_db):
    load_reference_fixtures()
    organisation = f.OrganisationFactory(commission_member=True)
    return f.UserFactory.create_batch(
        2, organisation=organisation, is_commission_delegate=True
    )


@pytest.fixture
def submitted(delegates):
    """A submitted proposal of axis 1, which the commission validated."""
    Axis.objects.filter(number=1).update(
        status=Axis.Status.VALIDATED, validated_on=datetime.date(2006, 12, 14)
    )
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    return f.ProposalFactory(atelier=atelier, status=Proposal.Status.SUBMITTED)


def outcomes(results) -> list[tuple[str, str]]:
    return sorted((kind, type(value).__name__) for kind, value, *_ in results)


def overlapped(results) -> bool:
    (_, _, _, winner_end) = next(r for r in results if r[0] == "ok")
    (_, _, loser_start, _) = next(r for r in results if r[0] == "error")
    return loser_start < winner_end


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("proposal_validate", "proposal_reject"),
        ("proposal_reject", "proposal_validate"),
        ("proposal_validate", "proposal_validate"),
        ("proposal_request_changes", "proposal_reject"),
    ],
)
def test_two_decisions_at_the_same_moment_make_one_transition(
    submitted, delegates, monkeypatch, first, second
):
    """Two members decide on the same submitted proposal at the same moment:
    exactly one decision is applied, with one revision and one audit entry;
    the other gets TransitionNotAllowed."""
    slowed(monkeypatch, services, "snapshot")
    revisions = ProposalRevision.objects.filter(proposal=submitted).count()

    def decide(name, person):
        return lambda: getattr(services, name)(
            proposal=Proposal.objects.get(pk=submitted.pk),
            acting_user=person,
            comment=f"{name} par {person.username}",
        )

    results = at_the_same_moment(
        decide(first, delegates[0]), decide(second, delegates[1])
    )

    assert outcomes(results) == [
        ("error", "TransitionNotAllowed"),
        ("ok", "Proposal"),
    ]
    assert overlapped(results), "the two decisions did not overlap"
    (winner,) = [value for kind, value, *_ in results if kind == "ok"]
    saved = Proposal.objects.get(pk=submitted.pk)
    assert (saved.status, saved.version) == (winner.status, submitted.version + 1)
    assert ProposalRevision.objects.filter(proposal=submitted).count() == revisions + 1
    (event,) = AuditEvent.for_object(submitted)
    assert (event.from_status, event.to_status) == ("submitted", winner.status)


@pytest.fixture
def open_round(delegates):
    """An open round on axes 2 and 3 where the delegates' organisation
    approved both."""
    secretariat = f.UserFactory(secretariat=True)
    axes = list(Axis.objects.filter(number__in=[2, 3]))
    validation_round = commission_services.round_open(
        title="Commission CUCS, mars 2007", axes=axes, acting_user=secretariat
    )
    for axis in axes:
        commission_services.position_record(
            validation_round=validation_round,
            axis=axis,
            organisation=delegates[0].organisation,
            position=AxisPosition.Position.APPROVE,
            comment="",
            acting_user=delegates[0],
        )
    return validation_round


def test_two_closings_at_the_same_moment_decide_once(open_round, monkeypatch):
    """The secretariat clicks "close" twice (or two people do): one closing,
    one decision per axis, one closing entry; the other is refused."""
    slowed(monkeypatch, decision, "rule_text")
    people = f.UserFactory.create_batch(2, secretariat=True)

    def close(person):
        return lambda: commission_services.round_close(
            validation_round=ValidationRound.objects.get(pk=open_round.pk),
            acting_user=person,
        )

    results = at_the_same_moment(close(people[0]), close(people[1]))

    assert outcomes(results) == [
        ("error", "RoundActionRefused"),
        ("ok", "ValidationRound"),
    ]
    assert overlapped(results), "the two closings did not overlap"
    assert sorted(
        AxisDecision.objects.filter(round=open_round).values_list(
            "axis__number", "validated"
        )
    ) == [(2, True), (3, True)]
    assert (
        AuditEvent.for_object(open_round)
        .filter(action=CommissionVerb.ROUND_CLOSE)
        .count()
        == 1
    )
    assert AuditEvent.objects.filter(action=CommissionVerb.AXIS_DECISION).count() == 2


def test_a_position_sent_while_the_round_closes_is_counted_or_refused(
    open_round, delegates, monkeypatch
):
    """A delegate changes their position while the secretariat closes the
    round: either the change lands before the decision and is counted, or it
    is refused; never a position recorded after the decision."""
    slowed(monkeypatch, decision, "rule_text")
    secretariat = f.UserFactory(secretariat=True)
    axis = Axis.objects.get(number=2)

    def close():
        return commission_services.round_close(
            validation_round=ValidationRound.objects.get(pk=open_round.pk),
            acting_user=secretariat,
        )

    def oppose():
        time.sleep(0.05)  # the closing takes the lock first
        return commission_services.position_record(
            validation_round=ValidationRound.objects.get(pk=open_round.pk),
            axis=axis,
            organisation=delegates[1].organisation,
            position=AxisPosition.Position.OPPOSE,
            comment="Changement d’avis.",
            acting_user=delegates[1],
        )

    closing, change = at_the_same_moment(close, oppose)

    assert closing[0] == "ok"
    assert (change[0], type(change[1]).__name__) == ("error", "RoundActionRefused")
    position = AxisPosition.objects.get(round=open_round, axis=axis)
    decided = AxisDecision.objects.get(round=open_round, axis=axis)
    assert (position.position, decided.approve_count, decided.oppose_count) == (
        AxisPosition.Position.APPROVE,
        1,
        0,
    )

"""Migration commission 0004: the decisions one member recorded alone, before
the commission had sessions, become decided items of closed sessions.

Run with Django's migration executor: the commission app goes back to 0003,
the decisions are recorded as the one-member « Statuer » recorded them (the
other apps' tables are those of today), then 0004 runs."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEvent
from axes.models import Axis
from commission.models import AgendaItem, CommissionSession
from commission.services import session_close
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PARIS = ZoneInfo("Europe/Paris")
BEFORE = [("commission", "0003_sessions")]
AFTER = [("commission", "0004_legacy_decisions")]
PLACE = "Décisions antérieures aux séances"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    """Every app at its last migration, as the rest of the suite expects."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def at_0003():
    migrate(BEFORE)
    try:
        yield
    finally:
        # Not only to 0004: a later migration left unapplied would leave the
        # test database behind the code for every test that follows.
        migrate(latest())


def decided(proposal, *, actor, action, to_status, comment, when):
    event = AuditEvent.record(
        actor=actor,
        target=proposal,
        action=action,
        from_status="submitted",
        to_status=to_status,
        comment=comment,
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


def test_each_day_of_one_member_decisions_becomes_a_closed_session(at_0003):
    """One session per local day (Europe/Paris), convened and closed by the
    member who decided, an item per decision with its outcome, the event's
    comment as the comments sent, no figures, and the rule saying why."""
    member = f.UserFactory(commission=True)
    other = f.UserFactory(commission=True)
    first, second, third = (
        f.ProposalFactory(status=status)
        for status in ("validated", "changes_requested", "rejected")
    )
    # 23:30 in Paris on 26 April is 21:30 UTC: the same local day as 10:00.
    day = datetime(2007, 4, 26, 10, tzinfo=PARIS)
    decided(
        first,
        actor=member,
        action="validate",
        to_status="validated",
        comment="",
        when=day,
    )
    decided(
        second,
        actor=other,
        action="request_changes",
        to_status="changes_requested",
        comment="Préciser le financement.",
        when=day.replace(hour=23, minute=30),
    )
    decided(
        third,
        actor=member,
        action="reject",
        to_status="rejected",
        comment="Relève du droit commun.",
        when=day + timedelta(days=1),
    )

    migrate(AFTER)

    sessions = list(CommissionSession.objects.order_by("starts_at"))
    assert [(s.place, s.status) for s in sessions] == [(PLACE, "closed")] * 2
    april_26, april_27 = sessions
    assert (april_26.convened_by, april_26.closed_by) == (member, other)
    assert april_26.closed_at == day.replace(hour=23, minute=30)
    assert (april_27.convened_by, april_27.closed_by) == (member, member)
    items = {item.proposal_id: item for item in AgendaItem.objects.all()}
    assert {pk: (i.session_id, i.outcome) for pk, i in items.items()} == {
        first.pk: (april_26.pk, "validated"),
        second.pk: (april_26.pk, "changes_requested"),
        third.pk: (april_27.pk, "rejected"),
    }
    for item in items.values():
        assert item.decided_from == AgendaItem.Source.LEGACY
        assert item.member_count is None and item.approve_count is None
        assert item.quorum_required is None
        assert "un seul membre" in item.rule
    assert items[second.pk].comments_sent == "Préciser le financement."


def test_a_proposal_decided_twice_the_same_day_has_two_sessions(at_0003):
    member = f.UserFactory(commission=True)
    proposal = f.ProposalFactory(status="validated")
    day = datetime(2007, 6, 21, 18, tzinfo=PARIS)
    decided(
        proposal,
        actor=member,
        action="request_changes",
        to_status="changes_requested",
        comment="Revoir le calendrier.",
        when=day,
    )
    decided(
        proposal,
        actor=member,
        action="validate",
        to_status="validated",
        comment="",
        when=day + timedelta(hours=2),
    )

    migrate(AFTER)

    assert CommissionSession.objects.count() == 2
    assert sorted(
        AgendaItem.objects.filter(proposal=proposal).values_list("outcome", flat=True)
    ) == ["changes_requested", "validated"]


def test_a_decision_a_session_records_is_left_alone(at_0003):
    """A proposal decided by the closing of a session: its event is that
    session's, and 0004 makes no legacy session of it."""
    secretariat = f.UserFactory(secretariat=True)
    delegate = f.UserFactory(commission=True)
    proposal = f.ProposalFactory(status="submitted")
    Axis.objects.filter(pk=proposal.atelier.axis_id).update(
        status="validated", validated_on=date(2006, 12, 14)
    )
    session = CommissionSession.objects.create(
        starts_at=datetime(2007, 9, 27, 18, tzinfo=PARIS),
        place="Siège d’AMO2SM",
        convened_by=secretariat,
    )
    item = AgendaItem.objects.create(session=session, proposal=proposal)
    item.positions.create(
        organisation=delegate.organisation, position="approve", recorded_by=delegate
    )
    session_close(session=session, acting_user=secretariat)
    assert AuditEvent.for_object(proposal).filter(action="validate").exists()

    migrate(AFTER)

    assert not AgendaItem.objects.filter(decided_from="legacy").exists()
    assert CommissionSession.objects.count() == 1


def test_the_reverse_deletes_the_legacy_sessions_only(at_0003):
    member = f.UserFactory(commission=True)
    proposal = f.ProposalFactory(status="rejected")
    decided(
        proposal,
        actor=member,
        action="reject",
        to_status="rejected",
        comment="Hors champ.",
        when=datetime(2007, 4, 26, 18, tzinfo=PARIS),
    )
    kept = CommissionSession.objects.create(
        starts_at=datetime(2007, 11, 22, 18, tzinfo=PARIS),
        place="Saint-Étienne Métropole",
        convened_by=member,
    )
    migrate(AFTER)
    assert CommissionSession.objects.filter(place=PLACE).count() == 1

    migrate(BEFORE)

    assert list(CommissionSession.objects.all()) == [kept]
    assert not AgendaItem.objects.exists()
    assert AuditEvent.for_object(proposal).filter(action="reject").exists()

"""Races on a commission session, for real: two threads, two connections,
committed transactions, on PostgreSQL (SQLite has no row locks).

- Two delegates of one organisation record its position on one item at the
  same moment: one position row, and the other delegate gets the conflict.
- Two closings of one session at once: one set of decisions.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Axis
from commission import services
from commission.models import AgendaItem, CommissionSession, ItemPosition
from commission.verbs import CommissionVerb
from tests import factories as f
from tests.ateliers.test_concurrency import at_the_same_moment
from tests.commission.test_concurrency import outcomes, overlapped, slowed
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update is a no-op there): the "
    "races are only meaningful on PostgreSQL (run with DATABASE_URL=postgres://…).",
)
P = ItemPosition.Position


@pytest.fixture
def session(transactional_db):
    load_reference_fixtures()
    Axis.objects.filter(number=1).update(
        status=Axis.Status.VALIDATED, validated_on=datetime.date(2006, 12, 14)
    )
    organisation = f.OrganisationFactory(commission_member=True)
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    proposals = f.ProposalFactory.create_batch(
        3, atelier=atelier, status=Proposal.Status.SUBMITTED
    )
    convened = services.session_convene(
        starts_at=timezone.now(),
        place="Siège d’AMO2SM",
        proposals=proposals,
        axes=[],
        acting_user=f.UserFactory(secretariat=True),
    )
    convened.delegates = f.UserFactory.create_batch(
        2, organisation=organisation, is_commission_delegate=True
    )
    return convened


def test_two_delegates_of_one_organisation_make_one_position_and_one_conflict(
    session, monkeypatch
):
    item = session.items.first()
    slowed(monkeypatch, ItemPosition.objects, "create")

    def record(delegate, value, comment):
        return lambda: services.item_position_record(
            item=AgendaItem.objects.get(pk=item.pk),
            organisation=delegate.organisation,
            position=value,
            comment=comment,
            base_version=0,
            acting_user=delegate,
        )

    results = at_the_same_moment(
        record(session.delegates[0], P.APPROVE, ""),
        record(session.delegates[1], P.OPPOSE, "Hors du champ du CUCS."),
    )

    assert outcomes(results) == [
        ("error", "PositionConflict"),
        ("ok", "ItemPosition"),
    ]
    assert overlapped(results), "the two saves did not overlap"
    (winner,) = [value for kind, value, *_ in results if kind == "ok"]
    (conflict,) = [value for kind, value, *_ in results if kind == "error"]
    (saved,) = ItemPosition.objects.filter(item=item)
    assert (saved.pk, saved.position) == (winner.pk, winner.position)
    assert conflict.current.pk == saved.pk
    assert (
        AuditEvent.for_object(session)
        .filter(action=CommissionVerb.ITEM_POSITION)
        .count()
        == 1
    )


def test_two_closings_at_the_same_moment_make_one_set_of_decisions(
    session, monkeypatch
):
    for item in session.items.all():
        services.item_position_record(
            item=item,
            organisation=session.delegates[0].organisation,
            position=P.APPROVE,
            comment="",
            base_version=0,
            acting_user=session.delegates[0],
        )
    slowed(monkeypatch, services.decision, "session_rule_text")
    people = f.UserFactory.create_batch(2, secretariat=True)

    def close(person):
        return lambda: services.session_close(
            session=CommissionSession.objects.get(pk=session.pk), acting_user=person
        )

    results = at_the_same_moment(close(people[0]), close(people[1]))

    assert outcomes(results) == [
        ("error", "RoundActionRefused"),
        ("ok", "CommissionSession"),
    ]
    assert overlapped(results), "the two closings did not overlap"
    assert set(session.items.values_list("outcome", flat=True)) == {"validated"}
    decided = AuditEvent.objects.filter(action="validate")
    assert decided.count() == 3
    assert (
        AuditEvent.for_object(session)
        .filter(action=CommissionVerb.SESSION_CLOSE)
        .count()
        == 1
    )
    assert set(
        Proposal.objects.filter(agenda_items__session=session).values_list(
            "status", "version"
        )
    ) == {(Proposal.Status.VALIDATED, 2)}

"""The commission's pages and the dashboard's tasks read a fixed number of
queries whatever the amount of data: measured, grown about tenfold, measured
again (same method as tests/test_query_counts.py, whose portal they reuse)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Axis
from commission import services
from commission.models import AxisPosition
from tests import factories as f
from tests.test_query_counts import (
    Portal,
    assert_same_queries_after_growing,
    queries,
)

pytestmark = pytest.mark.django_db

POSITIONS = itertools.cycle(AxisPosition.Position.values)


class Commission:
    """A portal with member organisations, each with its delegate, and
    validation rounds where they answer; grown on demand."""

    def __init__(self, portal: Portal):
        self.portal = portal
        self.secretariat = portal.viewers["secretariat"]
        self.members = []
        self.delegates = []
        self.add_members(2)
        self.delegate = self.delegates[0]
        self.axes = list(Axis.objects.order_by("number"))
        self.round = self.open_round(self.axes[1:4])

    def add_members(self, n):
        for organisation in f.OrganisationFactory.create_batch(
            n, commission_member=True
        ):
            self.members.append(organisation)
            self.delegates.append(
                f.UserFactory(organisation=organisation, is_commission_delegate=True)
            )

    def open_round(self, axes, answered_by=1):
        validation_round = services.round_open(
            title="Commission CUCS", axes=axes, acting_user=self.secretariat
        )
        for delegate in self.delegates[:answered_by]:
            for axis in axes:
                self.answer(validation_round, axis, delegate)
        return validation_round

    def answer(self, validation_round, axis, delegate):
        services.position_record(
            validation_round=validation_round,
            axis=axis,
            organisation=delegate.organisation,
            position=next(POSITIONS),
            comment="Avec un commentaire.",
            acting_user=delegate,
        )

    def grow_round(self, members):
        """``members`` more member organisations, each answering on every axis
        of the round."""
        before = len(self.delegates)
        self.add_members(members)
        for delegate in self.delegates[before:]:
            for axis in self.round.axes.all():
                self.answer(self.round, axis, delegate)

    def add_submitted(self, n):
        for i in range(n):
            atelier = self.portal.ateliers[i % len(self.portal.ateliers)]
            f.ProposalFactory(
                atelier=atelier,
                enjeu=self.portal.enjeux[atelier.pk][i % 2],
                status=Proposal.Status.SUBMITTED,
                lead_organisation=self.portal.organisations[i % 10],
                partner_organisations=self.portal.pick(self.portal.organisations),
                authors=self.portal.pick(self.portal.authors),
            )


@pytest.fixture
def commission(reference_data):
    portal = Portal()
    portal.add_proposals(5)
    portal.add_people(volunteers=1, sessions=1)
    commission = Commission(portal)
    commission.add_submitted(5)
    return commission


@pytest.mark.parametrize("viewer", ["delegate", "secretariat"])
def test_review_queue_queries_do_not_grow(client, commission, viewer):
    """The queue reads each proposal's atelier, axis, enjeu and lead
    organisation with it: from 5 to 50 submitted proposals, the count stays."""
    client.force_login(getattr(commission, viewer))

    assert_same_queries_after_growing(
        client,
        reverse("commission:review_queue"),
        lambda: commission.add_submitted(45),
    )


@pytest.mark.parametrize("viewer", ["delegate", "secretariat", "member"])
def test_round_page_queries_do_not_grow(client, commission, viewer):
    """The round page lists every member organisation's position on every axis
    with who recorded it, and (for a delegate) one form per axis, without a
    query per organisation, position or axis: from 2 to 20 members answering
    on 3 axes."""
    user = commission.portal.viewers.get(viewer) or getattr(commission, viewer)
    client.force_login(user)

    assert_same_queries_after_growing(
        client,
        commission.round.get_absolute_url(),
        lambda: commission.grow_round(18),
    )


def test_closed_round_page_queries_do_not_grow(client, commission):
    """Once closed, the decisions are read with the round, not one by one: a
    round of 3 axes answered by 1 member reads as many queries as one of 6
    axes answered by 20."""
    secretariat = commission.secretariat
    services.round_close(validation_round=commission.round, acting_user=secretariat)
    commission.add_members(18)
    large = commission.open_round(commission.axes, answered_by=20)
    services.round_close(validation_round=large, acting_user=secretariat)
    client.force_login(commission.delegate)
    queries(client, commission.round.get_absolute_url())  # warm caches

    few = queries(client, commission.round.get_absolute_url())
    many = queries(client, large.get_absolute_url())

    assert len(many) == len(few), "\n".join(sql for sql in many if sql not in few)


def test_round_list_queries_do_not_grow(client, commission):
    """The rounds are listed with their number of axes and answers counted in
    the same query: from 1 to 10 rounds."""
    client.force_login(commission.delegate)

    assert_same_queries_after_growing(
        client,
        reverse("commission:round_list"),
        lambda: [commission.open_round(commission.axes[:2]) for _ in range(9)],
    )


def test_audit_log_queries_do_not_grow(client, commission):
    """The journal reads each entry's person, organisation and object type with
    it: from a few entries to over fifty (a full page), by many people of many
    organisations, on proposals, rounds and axes."""
    client.force_login(commission.secretariat)
    assert AuditEvent.objects.count() < 50

    def grow():
        commission.grow_round(20)
        services.round_close(
            validation_round=commission.round, acting_user=commission.secretariat
        )

    assert_same_queries_after_growing(client, reverse("audit:log"), grow)
    assert AuditEvent.objects.count() > 50


def test_audit_export_queries_do_not_grow(client, commission):
    """The CSV streams the entries in chunks with their person and
    organisation: no query per entry."""
    client.force_login(commission.secretariat)

    def exported():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("audit:export"))
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    exported()
    few = exported()
    commission.grow_round(10)

    assert exported() == few


@pytest.mark.parametrize("viewer", ["delegate", "coanimator", "secretariat"])
def test_dashboard_with_tasks_queries_do_not_grow(client, commission, viewer):
    """The tasks are counted, not listed: more drafts, proposals sent back,
    submitted proposals and open rounds (awaiting the delegate's organisation
    or not) add no query."""
    user = commission.portal.viewers.get(viewer) or getattr(commission, viewer)
    client.force_login(user)

    def grow():
        commission.portal.add_proposals(45)
        commission.add_submitted(20)
        for _ in range(9):
            commission.open_round(commission.axes[:3], answered_by=0)

    assert_same_queries_after_growing(client, reverse("dashboard"), grow)
    assert len(client.get(reverse("dashboard")).context["tasks"]) >= 1

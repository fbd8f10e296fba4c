"""The declination's pages read a fixed number of queries whatever the number
of actions: each test measures a page with 2 actions, grows them to 20 (with
their partners, funding lines and progress notes, over more communes and
neighbourhoods), and measures again."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from axes.models import Axis
from declinaison.models import FundingLine, ProgressNote, SiteAction
from people.models import Territory
from referentiel import services as referentiel_services
from tests import factories as f
from tests.test_query_counts import assert_same_queries_after_growing

pytestmark = pytest.mark.django_db


class Programme:
    def __init__(self):
        self.secretariat = f.UserFactory(secretariat=True)
        self.landlord = f.UserFactory(landlord_staff=True)
        self.ateliers = [f.AtelierFactory(axis=axis) for axis in Axis.objects.all()]
        self.proposals = [
            f.ProposalFactory(atelier=atelier, status=Proposal.Status.VALIDATED)
            for atelier in self.ateliers
        ]
        self.edition = referentiel_services.edition_publish(
            user=self.secretariat,
            edition=referentiel_services.edition_create(
                user=self.secretariat, data={"title": "Édition"}
            ),
        )
        self.bassin = Territory.objects.get(slug="gier")
        self.communes = f.CommuneFactory.create_batch(4, parent=self.bassin)
        self.sites = self.communes + [
            f.NeighbourhoodFactory(parent=commune) for commune in self.communes
        ]
        self.organisations = f.OrganisationFactory.create_batch(6)
        self.count = 0
        self.statuses = itertools.cycle(SiteAction.Status.values)

    def add_actions(self, n, proposal=None):
        for _ in range(n):
            self.count += 1
            action = SiteAction.objects.create(
                proposal=proposal or self.proposals[self.count % len(self.proposals)],
                edition=self.edition,
                territory=self.sites[self.count % len(self.sites)],
                title=f"Action {self.count}",
                lead_organisation=self.organisations[self.count % 6],
                starts_on=datetime.date(2007, 7, 1),
                ends_on=datetime.date(2007, 10, 31),
                budget=Decimal(1000 * self.count),
                status=next(self.statuses),
                progress=self.count % 100,
                created_by=self.landlord,
            )
            self.grow_action(action, 2)

    def grow_action(self, action, n):
        action.partner_organisations.add(*self.organisations[:n])
        FundingLine.objects.bulk_create(
            FundingLine(action=action, source="cucs", amount=Decimal(100))
            for _ in range(n)
        )
        ProgressNote.objects.bulk_create(
            ProgressNote(
                action=action, author=self.landlord, status="in_progress", progress=10
            )
            for _ in range(n)
        )


@pytest.fixture
def programme(reference_data):
    programme = Programme()
    programme.add_actions(2)
    return programme


VIEWERS = ["secretariat", "landlord"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_programming_queries_do_not_grow(client, programme, viewer):
    """The programming reads the actions with their site, commune, bassin,
    lead organisation, axis and funding total in one query, and each roll-up
    in one grouped query: no query per action, per commune or per axis."""
    client.force_login(getattr(programme, viewer))

    assert_same_queries_after_growing(
        client, reverse("declinaison:programming"), lambda: programme.add_actions(18)
    )


@pytest.mark.parametrize("slug", ["gier", "commune"])
def test_territory_page_queries_do_not_grow(client, programme, slug):
    """A territory's programming: the same, filtered."""
    client.force_login(programme.landlord)
    slug = programme.communes[1].slug if slug == "commune" else slug

    assert_same_queries_after_growing(
        client,
        reverse("declinaison:territory", kwargs={"slug": slug}),
        lambda: programme.add_actions(18),
    )


@pytest.mark.parametrize("export", ["territory_csv", "territory_xlsx"])
def test_export_queries_do_not_grow(client, programme, export):
    """The exports read partners and funding totals without a query per row."""
    client.force_login(programme.landlord)

    assert_same_queries_after_growing(
        client,
        reverse(f"declinaison:{export}", kwargs={"slug": "gier"}),
        lambda: programme.add_actions(18),
    )


def test_action_page_queries_do_not_grow(client, programme):
    """An action shows its partners, funding lines and progress history (with
    authors and their organisations) without a query per item."""
    action = SiteAction.objects.first()
    client.force_login(programme.secretariat)

    assert_same_queries_after_growing(
        client, action.get_absolute_url(), lambda: programme.grow_action(action, 6)
    )


def test_proposal_page_actions_section_queries_do_not_grow(client, programme):
    """A validated proposal lists its actions on every site (site, commune,
    lead organisation) in one query."""
    proposal = programme.proposals[0]
    client.force_login(programme.secretariat)

    assert_same_queries_after_growing(
        client,
        proposal.get_absolute_url(),
        lambda: programme.add_actions(18, proposal=proposal),
    )
    assert proposal.site_actions.count() >= 18

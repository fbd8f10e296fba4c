"""The capitalisation pages read a fixed number of queries whatever the number
of sheets: each test measures a page with 2 sheets, grows them to 20 (each with
its own organisation, partners, sites and proposals), and measures again."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from axes.models import Axis
from capitalisation.models import ExperienceSheet
from people.models import Territory
from tests import factories as f

from .factories import ExperienceSheetFactory

pytestmark = pytest.mark.django_db

S = ExperienceSheet.Status


class Library:
    """Sheets across the axes, each on different sites with different
    partners and proposals, so that a per-row query would show."""

    def __init__(self):
        self.axes = itertools.cycle(Axis.objects.order_by("number"))
        bassins = list(Territory.objects.filter(kind=Territory.Kind.BASSIN))
        self.communes = [f.CommuneFactory(parent=b) for b in bassins]
        self.author = f.UserFactory(landlord_staff=True)
        self.secretariat = f.UserFactory(secretariat=True)
        self.n = 0

    def add(self, count, status=S.PUBLISHED, author=None):
        for _ in range(count):
            self.n += 1
            commune = self.communes[self.n % len(self.communes)]
            atelier = f.AtelierFactory(axis=next(self.axes))
            ExperienceSheetFactory(
                title=f"Relogement et médiation n°{self.n}",
                status=status,
                axis=atelier.axis,
                author=author or f.UserFactory(landlord_staff=True),
                territories=[commune, f.NeighbourhoodFactory(parent=commune)],
                other_organisations=f.OrganisationFactory.create_batch(2),
                proposals=[
                    f.ProposalFactory(atelier=atelier, status="validated")
                    for _ in range(2)
                ],
            )


@pytest.fixture
def library(reference_data):
    return Library()


def queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def assert_flat(client, url, grow, data=None):
    queries(client, url, data)  # warm caches (content types, sessions)
    few = queries(client, url, data)

    grow()
    many = queries(client, url, data)

    added = [sql for sql in many if sql not in few]
    assert len(many) == len(few), "\n".join(["Queries added:", *added[:10]])


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "relogement médiation"},
        {"territory": "bassin"},
        {"axis": "first", "organisation": "author's"},
    ],
    ids=["browse", "search", "territory", "axis and organisation"],
)
def test_the_library_reads_the_same_queries_for_2_or_20_sheets(client, library, data):
    """The cards' axis, organisation and sites (with their commune) come in
    one query per relation, not one per card; the counts per axis in one."""
    if data.get("territory"):
        data = {"territory": library.communes[1].parent_id}
    if data.get("axis"):
        data = {
            "axis": Axis.objects.order_by("number").first().pk,
            "organisation": library.author.organisation_id,
        }
    library.add(2, author=library.author)
    client.force_login(f.UserFactory(partner=True))

    assert_flat(
        client,
        reverse("capitalisation:library"),
        lambda: library.add(18, author=library.author),
        data,
    )


def test_my_sheets_reads_the_same_queries_for_2_or_20_sheets(client, library):
    library.add(1, author=library.author)
    library.add(1, status=S.RETURNED, author=library.author)
    client.force_login(library.author)

    assert_flat(
        client,
        reverse("capitalisation:mine"),
        lambda: (
            library.add(9, author=library.author),
            library.add(9, status=S.DRAFT, author=library.author),
        ),
    )


def test_the_review_queue_reads_the_same_queries_for_2_or_20_sheets(client, library):
    """Each row's author and their organisation are joined, not fetched."""
    library.add(2, status=S.SUBMITTED)
    client.force_login(library.secretariat)

    assert_flat(
        client,
        reverse("capitalisation:review_queue"),
        lambda: library.add(18, status=S.SUBMITTED),
    )


def test_a_sheet_page_reads_the_same_queries_for_2_or_20_links(client, library):
    """Sites, partners and proposals (with their atelier's axis, for their
    reference) are prefetched; reading a proposal's permission costs nothing
    per proposal."""
    library.add(1, author=library.author)
    sheet = ExperienceSheet.objects.get()
    client.force_login(f.UserFactory(commission=True))

    def grow():
        atelier = f.AtelierFactory(axis=sheet.axis)
        sheet.proposals.add(
            *[f.ProposalFactory(atelier=atelier, status="validated") for _ in range(18)]
        )
        sheet.territories.add(*f.NeighbourhoodFactory.create_batch(18))
        sheet.other_organisations.add(*f.OrganisationFactory.create_batch(18))

    assert_flat(client, sheet.get_absolute_url(), grow)

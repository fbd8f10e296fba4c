"""Organisations, territories and people as a French reader looks for them in
the proposals' pages and exports: in French order (« Épicéa » before
« Verveine »), and organisations to choose by their full names, with their
acronym in parentheses (« Saint-Étienne Métropole (SEM) »), never an acronym
alone."""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from people.models import Organisation
from tests import factories as f
from tests.choices import FRENCH_ORDER, SHUFFLED, choice_labels, in_page_order
from tests.test_query_counts import queries

from .test_proposal_export import csv_rows, export

S = Proposal.Status
pytestmark = pytest.mark.django_db

# Organisations of fixtures/organisations.json, as a person chooses them.
FULL_NAMES = [
    "Saint-Étienne Métropole (SEM)",
    "Direction départementale de l’Équipement de la Loire (DDE)",
    # Its short name says nothing its name does not.
    "Préfecture de la Loire",
    "Région Rhône-Alpes",
]
ACRONYMS = ["SEM", "DDE", "Préfecture", "Région"]


@pytest.fixture
def trees():
    """Seven landlords named after the issue's trees, created out of order."""
    return [
        f.OrganisationFactory(name=name, short_name=name[:3].upper())
        for name in SHUFFLED
    ]


def create_form(client, world):
    client.force_login(world.people["member"])
    response = client.get(
        reverse("ateliers:proposal_create", kwargs={"pk": world.ours.pk})
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_partner_checkboxes_read_full_names_with_acronyms(client, world):
    html = create_form(client, world)

    partners = choice_labels(html, "partner_organisations")
    assert set(FULL_NAMES) <= set(partners)
    assert not set(ACRONYMS) & set(partners)
    # The drop-down above reads the same.
    assert choice_labels(html, "lead_organisation") == partners


def test_the_partner_checkboxes_are_in_french_order(client, world, trees):
    html = create_form(client, world)

    labels = [f"{name} ({name[:3].upper()})" for name in FRENCH_ORDER]
    assert in_page_order(choice_labels(html, "partner_organisations"), labels) == (
        labels
    )


def test_the_territory_checkboxes_are_in_french_order(client, world):
    bassin = f.BassinFactory(name="Forez")
    for name in SHUFFLED:
        f.CommuneFactory(name=name, parent=bassin)

    html = create_form(client, world)

    labels = [f"{name} (Forez)" for name in FRENCH_ORDER]
    assert in_page_order(choice_labels(html, "territories"), labels) == labels


def test_the_list_filter_reads_full_names_in_french_order(client, world, trees):
    client.force_login(world.people["secretariat"])
    response = client.get(reverse("ateliers:proposal_list"))

    options = choice_labels(response.content.decode(), "organisation")
    assert set(FULL_NAMES) <= set(options)
    labels = [f"{name} ({name[:3].upper()})" for name in FRENCH_ORDER]
    assert in_page_order(options, labels) == labels
    assert options == [o.choice_label for o in Organisation.objects.all()], (
        "the whole list is in French order"
    )


def test_the_export_lists_partners_territories_and_authors_in_french_order(
    client, world, trees
):
    bassin = f.BassinFactory(name="Forez")
    proposal = f.ProposalFactory(
        atelier=world.ours,
        enjeu=world.proposals[S.VALIDATED].enjeu,
        number=77,
        status=S.VALIDATED,
        partner_organisations=trees,
        territories=[f.CommuneFactory(name=name, parent=bassin) for name in SHUFFLED],
        authors=[f.UserFactory(first_name="Anne", last_name=n) for n in SHUFFLED],
    )

    rows = csv_rows(export(client, world.people["secretariat"]))

    _header, *lines = rows
    (row,) = [line for line in lines if line[0] == proposal.reference]
    partners, territories, authors = row[14:17]
    assert partners == ", ".join(FRENCH_ORDER)
    assert territories == ", ".join(FRENCH_ORDER)
    assert authors == ", ".join(f"Anne {name}" for name in FRENCH_ORDER)


def test_the_proposal_form_queries_do_not_grow_with_the_choices(client, world):
    """One query per list of choices, however many organisations and
    territories there are."""
    client.force_login(world.people["member"])
    url = reverse("ateliers:proposal_create", kwargs={"pk": world.ours.pk})
    queries(client, url)  # warm caches (content types, sessions)
    few = queries(client, url)

    f.OrganisationFactory.create_batch(20)
    f.CommuneFactory.create_batch(20, parent=f.BassinFactory())
    many = queries(client, url)

    assert len(many) == len(few)

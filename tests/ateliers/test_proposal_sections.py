"""The sections the apps above ateliers add to a proposal's page
(ateliers/sections.py): its actions on the sites and its experience sheets."""

import pytest

from ateliers.models import Proposal
from tests.capitalisation.factories import ExperienceSheetFactory
from tests.declinaison.support import extend_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


def page(client, world, proposal):
    client.force_login(world.people["member"])
    return client.get(proposal.get_absolute_url()).content.decode()


def test_a_validated_proposal_shows_its_site_actions_and_published_sheets(
    client, world
):
    """The site actions, with their stylesheet, then the published experience
    sheets about it; a draft sheet stays out."""
    proposal = world.proposals[S.VALIDATED]
    ExperienceSheetFactory(
        title="Fiche publiée", status="published", proposals=[proposal]
    )
    ExperienceSheetFactory(title="Fiche en brouillon", proposals=[proposal])

    html = page(client, world, proposal)

    assert "css/declinaison-pages" in html
    assert html.index('id="site-actions"') < html.index('id="experience-sheets"')
    assert world.actions["ours"].title in html
    assert "Fiche publiée" in html
    assert "Fiche en brouillon" not in html


def test_a_validated_proposal_without_sheets_has_no_sheet_section(client, world):
    """Declined on no site, it still says so; with no published sheet the
    section is left out."""
    html = page(client, world, world.late)

    assert 'id="site-actions"' in html
    assert 'id="experience-sheets"' not in html


def test_a_draft_shows_neither_section(client, world):
    """Not validated yet: no site action, no stylesheet, no sheet."""
    html = page(client, world, world.proposals[S.DRAFT])

    assert 'id="site-actions"' not in html
    assert "css/declinaison-pages" not in html
    assert 'id="experience-sheets"' not in html

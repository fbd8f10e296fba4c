"""In a real browser: a member types a word without its accents in the
header's box, with the keyboard, and finds the accented proposal and sheet,
on a wide and on a narrow screen; axe-core checks every page."""

import pytest

from axes.models import Axis
from tests import factories as f
from tests.capitalisation.factories import ExperienceSheetFactory
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

PROPOSAL = "Réhabilitation des halls d’entrée"
SHEET = "Jardins partagés au pied des tours"


@pytest.fixture
def portal(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    member = f.UserFactory(username="membre", organisation=landlord)
    f.AtelierMembershipFactory(atelier=atelier, user=member)
    f.ProposalFactory(atelier=atelier, enjeu=enjeu, status="draft", title=PROPOSAL)
    ExperienceSheetFactory(author=member, status="published", title=SHEET)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_header_box_finds_accented_titles(portal, visit, a11y, width):
    claire = visit()
    claire.page.set_viewport_size({"width": width, "height": 900})
    claire.log_in("membre")

    box = claire.page.locator("#portal-search-q")
    assert box.is_visible()
    box.fill("rehabilitation")
    claire.press("Enter")

    assert "/recherche/?q=rehabilitation" in claire.page.url
    results = claire.page.locator("#search-proposals")
    assert PROPOSAL in results.inner_text()

    claire.page.fill("#search-page-q", "jardins partages")
    claire.follow(claire.page.locator("main form button[type=submit]"))
    assert SHEET in claire.page.locator("#search-sheets").inner_text()

    claire.follow(claire.page.get_by_role("link", name=SHEET))
    assert SHEET in claire.page.locator("h1").inner_text()
    a11y.assert_clean(minimum_pages=4)

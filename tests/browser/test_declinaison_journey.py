"""Journey 4, in a real browser: a landlord's staff member declines a validated
proposal of the published référentiel into two actions on sites (a commune
and one of its priority neighbourhoods), updates the progress of one, and the
territory's programming page shows both, with the roll-up chart."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from axes.models import Axis
from declinaison.models import SiteAction
from people.models import Territory
from referentiel import services as referentiel_services
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

PROPOSAL = "Une médiation de proximité dans les halls"
FIRST = "Médiation de soirée à Rive-de-Gier"
SECOND = "Médiation de soirée au Grand Pont"
NOTE = "Deux médiateurs recrutés ; premières soirées en septembre."
# As the page prints it: a narrow no-break space before the semicolon.
NOTE_SHOWN = "Deux médiateurs recrutés\u202f; premières soirées en septembre."
NBSP = "\u00a0"


@pytest.fixture
def published_proposal(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=3))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    member = f.UserFactory(
        username="membre",
        first_name="Claire",
        last_name="Martin",
        organisation=landlord,
    )
    f.AtelierMembershipFactory(atelier=atelier, user=member)
    secretariat = f.UserFactory(username="secretariat", secretariat=True)
    commune = f.CommuneFactory(
        name="Rive-de-Gier",
        slug="rive-de-gier",
        parent=Territory.objects.get(slug="gier"),
    )
    f.NeighbourhoodFactory(name="Grand Pont", slug="grand-pont", parent=commune)
    proposal = f.ProposalFactory(
        atelier=atelier, enjeu=enjeu, status="validated", title=PROPOSAL
    )
    referentiel_services.edition_publish(
        user=secretariat,
        edition=referentiel_services.edition_create(
            user=secretariat,
            data={
                "title": "Référentiel CUCS : édition du séminaire",
                "event_date": datetime.date(2007, 5, 10),
            },
        ),
    )
    return proposal


def decline(visitor, proposal, *, title, site, budget, funding):
    """From the proposal's page, through the form, to the new action's page."""
    page = visitor.page
    visitor.goto(proposal.get_absolute_url())
    create = reverse("declinaison:action_create", kwargs={"pk": proposal.pk})
    visitor.follow(page.locator(f'#site-actions a[href="{create}"]'))
    # The latest published edition holding the proposal is already chosen,
    # and the lead organisation is the person's landlord.
    assert (
        page.locator("#id_edition option:checked")
        .inner_text()
        .startswith("Référentiel CUCS")
    )
    assert (
        page.locator("#id_lead_organisation option:checked").inner_text()
        == "OPAC de la Loire"
    )
    page.fill("#id_title", title)
    page.select_option("#id_territory", label=site)
    page.fill("#id_starts_on", "2007-07-01")
    page.fill("#id_ends_on", "2007-10-31")
    # Typed key by key, as a person does: a number input would drop the
    # space and the comma of « 10 500,50 » and send 1050050.
    page.locator("#id_budget").press_sequentially(budget)
    page.select_option("#id_funding-0-source", "cucs")
    page.locator("#id_funding-0-amount").press_sequentially(funding)
    visitor.follow(page.locator(".action-form button[type=submit]"))
    # It asks first, saying where the action goes; back to the form keeps
    # everything typed; then confirmed.
    assert page.locator('main input[name="confirmed"]').count() == 1
    visitor.follow(page.locator('main form button[name="change"]'))
    assert page.locator("#id_title").input_value() == title
    assert page.locator("#id_budget").input_value() == budget
    assert page.locator("#id_funding-0-amount").input_value() == funding
    visitor.follow(page.locator(".action-form button[type=submit]"))
    visitor.follow(page.locator("main form button[type=submit]").first)
    assert page.locator("h1").inner_text() == title
    assert page.locator(".alert-success").is_visible()
    return page.url


def test_decline_a_proposal_on_two_sites_and_follow_its_progress(
    visit, a11y, published_proposal
):
    claire = visit()
    claire.log_in("membre")
    page = claire.page

    # --- A first action, on the commune; the funding does not cover it all ---
    first_url = decline(
        claire,
        published_proposal,
        title=FIRST,
        site="Rive-de-Gier (Gier)",
        budget="10 500,50",
        funding="8 000",
    )
    # Warned, in French figures, and saved to the cent.
    warning = page.locator(".alert-warning").inner_text()
    assert f"8{NBSP}000,00{NBSP}€" in warning
    assert f"10{NBSP}500,50{NBSP}€" in warning
    assert f"10{NBSP}500,50 €" in page.locator("main").inner_text()
    assert SiteAction.objects.get(title=FIRST).budget == Decimal("10500.50")

    # --- A mistake on the second is shown next to the field, text kept ------
    claire.goto(published_proposal.get_absolute_url())
    create = reverse("declinaison:action_create", kwargs={"pk": published_proposal.pk})
    claire.follow(page.locator(f'#site-actions a[href="{create}"]'))
    page.fill("#id_title", SECOND)
    page.select_option("#id_territory", label="Grand Pont (Rive-de-Gier)")
    page.fill("#id_starts_on", "2007-09-01")
    page.fill("#id_ends_on", "2007-08-01")
    page.locator("#id_budget").press_sequentially("10.500,50")
    response = claire.follow(page.locator(".action-form button[type=submit]"))
    assert response.status == 400
    assert page.locator(".form-error-summary[role=alert]").is_visible()
    assert page.locator("#id_ends_on").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_title").input_value() == SECOND
    # An ambiguous amount: refused, said why, and kept as typed.
    assert page.locator("#id_budget").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_budget").input_value() == "10.500,50"
    assert "mélange points et virgules" in page.locator("main").inner_text()

    # --- The second action, on the priority neighbourhood ---------------------
    decline(
        claire,
        published_proposal,
        title=SECOND,
        site="Grand Pont (Rive-de-Gier)",
        budget="8000.00",
        funding="8 000",
    )

    # --- The proposal's page lists both --------------------------------------
    claire.goto(published_proposal.get_absolute_url())
    listed = page.locator("#site-actions table").inner_text()
    assert "Rive-de-Gier" in listed and "Grand Pont" in listed

    # --- She updates the progress of the first --------------------------------
    claire.goto(first_url)
    claire.follow(page.locator('.action-bar a[href$="/avancement/"]'))
    page.check('input[name="status"][value="in_progress"]')
    page.fill("#id_progress", "30")
    page.fill("#id_body", NOTE)
    claire.follow(page.locator(".progress-form button[type=submit]"))
    assert page.url == f"{first_url}#progress"
    history = page.locator("#progress").inner_text()
    assert NOTE_SHOWN in history and "30 %" in history
    assert page.locator(".page-status .action-status--in_progress").is_visible()

    # --- The commune's programming shows both, with the chart ---------------
    territory = reverse("declinaison:territory", kwargs={"slug": "rive-de-gier"})
    claire.follow(page.locator(f'.breadcrumb a[href="{territory}"]').first)
    programme = page.locator(".programme-commune").inner_text()
    assert FIRST in programme and SECOND in programme
    chart = page.locator("svg.rollup-chart[role=img]").first
    assert chart.is_visible()
    assert page.locator("svg.rollup-chart rect.action-fill--in_progress").count() >= 1
    assert page.locator("svg.rollup-chart rect.action-fill--planned").count() >= 1

    a11y.assert_clean(minimum_pages=10)

"""Journey 2, in a real browser: the secretariat convenes a session of the
commission with a submitted proposal on its agenda; the delegates of the two
member organisations record their positions (one validates with reservations,
keyboard only; the other asks for changes, first forgetting to say which, and
nothing is lost); the secretariat reads what closing will decide and closes;
the atelier's co-animator reads the decision and each organisation's comment
on the proposal; a delegate suggests a new wording of the summary and the
co-animator accepts it (a new version crediting the delegate).

One validation with reservations and one request for changes, out of two
member organisations: the quorum is met and no majority validates or rejects,
so the rule (commission/decision.py) sends the proposal back to the atelier.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from ateliers.models import Proposal
from axes.models import Axis
from commission.models import CommissionSession, ItemPosition
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser
Position = ItemPosition.Position

TITLE = "Une charte commune de l’entretien des parties communes"
RESERVATIONS = "Chiffrer le coût pour les petits bailleurs."
CHANGES = "Précisez qui anime les diagnostics et avec quels moyens."
SUGGESTED = (
    "Une charte commune, animée par les gardiens et chiffrée bailleur par bailleur."
)
WHY = "Reprend la demande de la commission sur les moyens."


@pytest.fixture
def submitted(transactional_db):
    """A submitted proposal of atelier 1; two member organisations of the
    commission, each with its delegate; the secretariat; the atelier's
    landlord referent (a co-animator)."""
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(
        axis=atelier.axis, position=1, title="Des espaces communs tenus"
    )
    for username, first, last, name, short in (
        ("commission", "Bernard", "Roux", "Loire Habitat", "LH"),
        ("commission-mhse", "Nadia", "Benali", "Métropole Habitat", "MHSE"),
    ):
        f.UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            organisation=f.OrganisationFactory(
                name=name, short_name=short, commission_member=True
            ),
            is_commission_delegate=True,
        )
    f.UserFactory(username="secretariat", secretariat=True)
    referent = f.UserFactory(
        username="referent", organisation=f.OrganisationFactory(name="OPAC")
    )
    f.AtelierMembershipFactory(atelier=atelier, user=referent, landlord_referent=True)
    return f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        title=TITLE,
        status=Proposal.Status.SUBMITTED,
        created_by=referent,
    )


def test_a_session_decides_a_proposal_with_the_organisations_comments(
    visit, a11y, submitted
):
    # --- The secretariat convenes a session -----------------------------------
    secretariat = visit()
    secretariat.log_in("secretariat")
    page = secretariat.page
    secretariat.goto(reverse("commission:review_queue"))
    secretariat.follow(
        page.locator(f'main a[href="{reverse("commission:session_create")}"]')
    )
    page.fill("#id_date", "2030-06-14")
    page.fill("#id_time", "14:00")
    page.fill("#id_place", "Siège d’AMO2SM, Saint-Étienne")
    ticked = page.get_by_label(f"{submitted.reference} {TITLE}")
    ticked.check()
    secretariat.follow(page.locator("main form button[type=submit]"))
    assert page.locator(".alert-success").is_visible()
    session = CommissionSession.objects.get()
    item = session.items.get()
    assert page.url.endswith(session.get_absolute_url())
    form = f"#position-form-{item.pk}"

    # --- Loire Habitat validates with reservations, keyboard only -------------
    bernard = visit()
    bernard.log_in("commission", keyboard=True)
    sessions = reverse("commission:session_list")
    bernard.follow(bernard.page.locator(f'a.nav-link[href="{sessions}"]'))
    bernard.follow(
        bernard.page.locator(f'main a[href="{session.get_absolute_url()}"]').first
    )
    bernard.assert_focus_visible_after_tab_to(f"{form} input[type=radio]", limit=150)
    # The first choice is "Validate"; the arrow moves to "with reservations".
    bernard.page.keyboard.press("ArrowDown")
    assert bernard.page.locator(f"{form} input:checked").get_attribute("value") == (
        "reservations"
    )
    bernard.assert_focus_visible_after_tab_to(f"{form} textarea")
    bernard.page.keyboard.type(RESERVATIONS)
    bernard.assert_focus_visible_after_tab_to(f"{form} button[type=submit]")
    bernard.press("Enter")
    assert bernard.page.locator(".alert-success").is_visible()

    # --- Métropole Habitat asks for changes, first without saying which -------
    nadia = visit()
    nadia.log_in("commission-mhse")
    nadia.goto(session.get_absolute_url())
    position = nadia.page.locator(form)
    position.locator("input[value=changes]").check()
    response = nadia.follow(position.locator("button[type=submit]"))
    assert response.status == 400
    assert nadia.page.locator(".alert-danger").is_visible()
    comment = position.locator("textarea")
    assert comment.get_attribute("aria-invalid") == "true"
    assert position.locator(".invalid-feedback").is_visible()
    assert position.locator("input:checked").get_attribute("value") == "changes"
    comment.fill(CHANGES)
    nadia.follow(position.locator("button[type=submit]"))
    assert nadia.page.locator(".alert-success").is_visible()

    # --- The secretariat reads what closing decides, then closes --------------
    secretariat.goto(session.get_absolute_url())
    close = reverse("commission:session_close", kwargs={"pk": session.pk})
    secretariat.follow(page.locator(f'main a[href="{close}"]'))
    forecast = page.locator("main table tbody tr")
    assert forecast.count() == 1
    assert forecast.locator(".status-badge--forecast-changes_requested").is_visible()
    secretariat.follow(page.locator(f'main form[action="{close}"] button'))
    assert page.locator(".alert-success").is_visible()
    assert page.locator(".page-status .status-badge--session-closed").is_visible()
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.CHANGES_REQUESTED

    # --- The atelier's co-animator reads the decision and the comments --------
    referent = visit()
    referent.log_in("referent")
    referent.goto(submitted.get_absolute_url())
    callout = referent.page.locator(".decision-callout")
    assert callout.is_visible()
    sent = callout.locator(".decision-comment").inner_text()
    with translation.override("fr"):
        validate, rework = (
            str(choice.label)
            for choice in (Position.APPROVE_WITH_RESERVATIONS, Position.REQUEST_CHANGES)
        )
    sent = sent.replace("\u00a0", " ")
    assert (
        f"Loire Habitat ({validate[0].lower()}{validate[1:]}) : {RESERVATIONS}" in sent
    )
    assert f"Métropole Habitat ({rework[0].lower()}{rework[1:]}) : {CHANGES}" in sent
    at_commission = referent.page.locator("#commission-sessions")
    assert at_commission.locator(
        ".status-badge--outcome-changes_requested"
    ).is_visible()
    positions = at_commission.locator(".organisation-positions li")
    assert positions.count() == 2
    assert RESERVATIONS in positions.nth(0).inner_text()
    assert CHANGES in positions.nth(1).inner_text()

    # --- Loire Habitat suggests its wording; the atelier accepts it -----------
    bernard.goto(submitted.get_absolute_url())
    bernard.page.select_option("#id_suggest_champ", "summary")
    bernard.follow(bernard.page.locator("form.suggestion-chooser button"))
    bernard.page.fill("textarea[name=text]", SUGGESTED)
    bernard.page.fill("textarea[name=comment]", WHY)
    bernard.follow(bernard.page.locator("main form[method=post] button[type=submit]"))
    assert bernard.page.locator(".alert-success").is_visible()

    referent.goto(submitted.get_absolute_url())
    suggestion = referent.page.locator("#suggestions .suggestion")
    assert suggestion.count() == 1
    assert suggestion.locator("ins").first.is_visible()
    assert WHY in suggestion.inner_text()
    referent.follow(suggestion.locator("form button[type=submit]"))
    assert referent.page.locator(".alert-success").is_visible()
    submitted.refresh_from_db()
    assert submitted.summary == SUGGESTED
    revision = submitted.revisions.order_by("-version").first()
    assert revision.suggested_by.username == "commission"

    a11y.assert_clean(minimum_pages=14)

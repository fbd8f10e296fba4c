"""Journey 2, in a real browser: a commission member records their
organisation's position on an axis (keyboard only), the secretariat closes the
round, the commission member validates one proposal and sends another back
with a comment, and a member of the atelier reads the comment."""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from axes.models import Axis
from commission import services as commission_services
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

TO_VALIDATE = "Une charte commune de l’entretien des parties communes"
TO_REWORK = "Un diagnostic en marchant dans chaque quartier prioritaire"
COMMENT = "Précisez qui anime les diagnostics et avec quels moyens."


@pytest.fixture
def round_open(transactional_db):
    """An open validation round with axis 1 on its agenda; the CUCS commission
    has one member organisation, whose delegate answers (quorum 1 of 1)."""
    load_reference_fixtures()
    axis = Axis.objects.get(number=1)
    atelier = f.AtelierFactory(axis=axis)
    enjeu = f.EnjeuFactory(axis=axis, position=1, title="Des espaces communs tenus")
    landlord = f.OrganisationFactory(
        name="Loire Habitat", short_name="LH", commission_member=True
    )
    f.UserFactory(
        username="commission",
        first_name="Bernard",
        last_name="Roux",
        organisation=landlord,
        is_commission_delegate=True,
    )
    secretariat = f.UserFactory(username="secretariat", secretariat=True)
    member = f.UserFactory(username="membre", organisation=landlord)
    f.AtelierMembershipFactory(atelier=atelier, user=member)
    for title in (TO_VALIDATE, TO_REWORK):
        f.ProposalFactory(
            atelier=atelier,
            enjeu=enjeu,
            title=title,
            status=Proposal.Status.SUBMITTED,
            created_by=member,
        )
    return commission_services.round_open(
        title="Commission CUCS, mars 2007", axes=[axis], acting_user=secretariat
    )


def proposal_pk(title: str) -> int:
    return Proposal.objects.get(title=title).pk


def test_axis_round_then_decisions_on_proposals(visit, a11y, round_open):
    round_url = round_open.get_absolute_url()
    axis = round_open.axes.get()

    # --- The commission member answers for their organisation -----------------
    bernard = visit()
    bernard.log_in("commission", keyboard=True)
    page = bernard.page
    rounds = reverse("commission:round_list")
    bernard.follow(page.locator(f'a.nav-link[href="{rounds}"]'))
    bernard.follow(page.locator(f'main a[href="{round_url}"]'))
    form = page.locator(f"#position-form-{axis.number}")
    # Keyboard only: Tab into the radio group, Space, Tab to the button, Enter.
    bernard.assert_focus_visible_after_tab_to(
        f"#position-form-{axis.number} input[type=radio]", limit=120
    )
    page.keyboard.press("Space")
    assert form.locator("input[type=radio]:checked").get_attribute("value") == (
        "approve"
    )
    bernard.assert_focus_visible_after_tab_to(
        f"#position-form-{axis.number} button[type=submit]"
    )
    bernard.press("Enter")
    assert page.locator(".alert-success").is_visible()
    mine = page.locator(f"#axis-{axis.number} tr.is-mine")
    assert mine.locator(".status-badge--position-approve").is_visible()

    # --- The secretariat closes the round -------------------------------------
    secretariat = visit()
    secretariat.log_in("secretariat")
    secretariat.goto(round_url)
    closing = secretariat.page.locator("details.withdraw-confirm")
    closing.locator("summary").click()
    secretariat.a11y.check(secretariat.page)  # the confirmation, opened
    close = reverse("commission:round_close", kwargs={"pk": round_open.pk})
    secretariat.follow(closing.locator(f'form[action="{close}"] button'))
    assert secretariat.page.locator(".status-badge--round-closed").is_visible()
    assert secretariat.page.locator("details.withdraw-confirm").count() == 0
    axis.refresh_from_db()
    assert axis.status == Axis.Status.VALIDATED

    # --- The commission member decides on the two proposals -------------------
    queue = reverse("commission:review_queue")
    bernard.follow(page.locator(f'a.nav-link[href="{queue}"]'))
    validate, rework = (
        reverse("commission:proposal_decision", kwargs={"pk": proposal_pk(title)})
        for title in (TO_VALIDATE, TO_REWORK)
    )
    bernard.follow(page.locator(f'main a[href="{validate}"]'))
    page.check("input[name=decision][value=validate]")
    bernard.follow(page.locator("main form button[type=submit]"))
    assert page.url.endswith(queue)
    assert page.locator(".alert-success").is_visible()
    assert page.locator(f'main a[href="{validate}"]').count() == 0

    bernard.follow(page.locator(f'main a[href="{rework}"]'))
    page.check("input[name=decision][value=request_changes]")
    # Without the comment: refused, the error announced on the field.
    response = bernard.follow(page.locator("main form button[type=submit]"))
    assert response.status == 200
    comment = page.locator("#id_comment")
    assert comment.get_attribute("aria-invalid") == "true"
    assert "id_comment_error" in comment.get_attribute("aria-describedby").split()
    assert page.locator("#div_id_comment #id_comment_error").is_visible()
    assert page.locator("input[name=decision]:checked").get_attribute("value") == (
        "request_changes"
    )
    comment.fill(COMMENT)
    bernard.follow(page.locator("main form button[type=submit]"))
    assert page.url.endswith(queue)
    assert page.locator(f'main a[href="{rework}"]').count() == 0

    # --- A member of the atelier reads the commission's comment ---------------
    claire = visit()
    claire.log_in("membre")
    proposals = reverse("ateliers:proposal_list")
    claire.follow(claire.page.locator(f'a.nav-link[href="{proposals}"]'))
    detail = reverse("ateliers:proposal_detail", kwargs={"pk": proposal_pk(TO_REWORK)})
    claire.follow(claire.page.locator(f'main a[href="{detail}"]').first)
    callout = claire.page.locator(".decision-callout")
    assert callout.is_visible()
    assert callout.locator(".decision-comment").inner_text() == COMMENT
    assert claire.page.locator(
        ".page-status .status-badge--changes_requested"
    ).is_visible()
    validated = reverse(
        "ateliers:proposal_detail", kwargs={"pk": proposal_pk(TO_VALIDATE)}
    )
    claire.goto(validated)
    assert claire.page.locator(".page-status .status-badge--validated").is_visible()

    a11y.assert_clean(minimum_pages=14)

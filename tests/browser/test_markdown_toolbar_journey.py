"""Issue 17, item 10, in a real browser: a member writes a bulleted list in a
proposal's description with the toolbar (the keyboard, then a click), sees it
in the live preview as she types, saves, and the proposal's page shows a real
list. Without JavaScript the same form is the plain textarea, with the hint.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from axes.models import Axis
from tests import factories as f
from tests.factories import PASSWORD
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

TITLE = "Un relais de proximité pour les impayés"
SUMMARY = "Un relais repère les impayés tôt et saisit la commission."
INTRO = "Les étapes :"
FIRST = "Repérer les impayés"
SECOND = "Saisir la commission"
AFTER = "Le bailleur informe le locataire."
LONG_TEXT_MAX = 6_000


def name(label: str) -> str:
    """A toolbar button's name as a French reader hears it."""
    with translation.override("fr"):
        return pgettext("Markdown toolbar", label)


@pytest.fixture
def atelier(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    f.EnjeuFactory(axis=atelier.axis, position=1, title="La prévention des impayés")
    user = f.UserFactory(
        username="membre",
        first_name="Claire",
        last_name="Martin",
        organisation=f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC"),
    )
    f.AtelierMembershipFactory(atelier=atelier, user=user)
    return atelier


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_toolbar_writes_a_list_that_renders(visit, a11y, atelier):
    claire = visit()
    claire.log_in("membre")
    page = claire.page
    claire.goto(reverse("ateliers:proposal_create", kwargs={"pk": atelier.pk}))

    # One hint for the whole form, above the first long text; a toolbar above
    # each long text, and no preview before anything is typed.
    hints = page.locator(".markdown-hint")
    assert hints.count() == 1
    assert page.locator("#div_id_summary .markdown-hint").count() == 1
    assert page.locator(".markdown-toolbar").count() == 6
    description = page.locator("#id_description")
    toolbar = page.locator("#div_id_description [role=toolbar]")
    assert toolbar.get_attribute("aria-controls") is None  # set on each button
    preview = page.locator("#div_id_description .markdown-preview")
    assert preview.is_hidden()

    page.fill("#id_title", TITLE)
    page.select_option("#id_enjeu", index=1)
    page.fill("#id_summary", SUMMARY)
    description.fill(INTRO)
    description.press("End")
    description.press("Enter")

    # --- With the keyboard: Shift+Tab reaches the toolbar, one Tab stop ------
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "bold"
    claire.assert_focus_visible()
    # The arrows move along the toolbar; Enter acts and gives the focus back.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = claire.assert_focus_visible()
    assert focused["tag"] == "button"
    assert focused["text"].endswith(name("Bulleted list"))
    page.keyboard.press("Enter")
    assert active_id(page) == "id_description"
    # The placeholder item is selected: typing replaces it.
    page.keyboard.type(FIRST)
    page.keyboard.press("Enter")  # the next item
    page.keyboard.type(SECOND)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type(AFTER)
    value = description.input_value()
    assert value == f"{INTRO}\n- {FIRST}\n- {SECOND}\n\n{AFTER}"

    # The counter follows every change, the toolbar's included.
    left = f"{LONG_TEXT_MAX - len(value):,}".replace(",", "\u202f")
    assert page.locator("#id_description_count").inner_text().endswith(left)

    # --- The live preview shows the list, as the page will -------------------
    items = preview.locator(".markdown-preview-body ul > li")
    items.nth(1).wait_for()
    assert preview.is_visible()
    assert items.all_inner_texts() == [FIRST, SECOND]
    assert preview.locator(".markdown-preview-body [aria-live]").count() == 0
    assert (
        preview.locator(".markdown-preview-body").get_attribute("aria-live") == "polite"
    )

    # --- With the mouse: a word selected, then « Gras » ----------------------
    start = value.index("impayés")
    description.evaluate(
        "(field, [start, end]) => field.setSelectionRange(start, end)",
        [start, start + len("impayés")],
    )
    toolbar.get_by_role("button", name=name("Bold"), exact=True).click()
    assert active_id(page) == "id_description"
    assert f"- Repérer les **impayés**\n- {SECOND}" in description.input_value()
    preview.locator("li strong").wait_for()
    assert preview.locator("li strong").inner_text() == "impayés"
    # axe-core on the form with its toolbars and the preview shown.
    a11y.check(page)

    # --- Saved, the proposal's page has a real list --------------------------
    claire.follow(page.locator(".proposal-form button[type=submit]"))
    assert page.locator("h1").inner_text() == TITLE
    text = page.locator(".prose").filter(has_text=SECOND)
    assert "**" not in text.inner_text()
    rendered = text.locator("ul")
    assert rendered.locator("li").all_inner_texts() == [
        "Repérer les impayés",
        SECOND,
    ]
    assert rendered.locator("li strong").inner_text() == "impayés"

    a11y.assert_clean(minimum_pages=4)


def test_without_javascript_the_form_is_the_plain_textarea(visit, atelier):
    """Nothing of the toolbar or the preview is shown, and the hint says what
    to type. (axe-core runs in the page's JavaScript: it checks this form in
    the journey above, whose page holds everything this one does.)"""
    page = visit(java_script_enabled=False).page
    page.goto("/compte/login/")
    page.fill("#id_username", "membre")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(reverse("ateliers:proposal_create", kwargs={"pk": atelier.pk}))

    assert page.locator("#id_description").is_visible()
    assert page.locator("[role=toolbar]").count() == 0
    assert page.get_by_role("button", name=name("Bold")).count() == 0
    assert page.locator(".markdown-preview").count() == 0
    hint = page.locator(".markdown-hint")
    assert hint.count() == 1
    assert "**" in hint.inner_text()
    assert page.locator("#id_description_count").is_visible()

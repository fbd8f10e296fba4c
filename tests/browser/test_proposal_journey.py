"""Journey 1, in a real browser: a landlord's staff member writes a proposal in
their atelier (keyboard only), a second member edits it at the same time and is
told about the conflict without losing their text, and the co-animator submits
it to the commission."""

import pytest
from django.urls import reverse

from axes.models import Axis
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

TITLE = "Un gardien référent par groupe d’immeubles"
FIRST_SUMMARY = "Chaque groupe d’immeubles a un gardien identifié par les locataires."
# Both members rewrite the summary at the same time; only the first changes the
# timetable.
THEIR_SUMMARY = "Un gardien référent et une permanence de gardiennage chaque semaine."
THEIR_TIMETABLE = "Expérimentation au printemps 2007 sur le Gier."
MY_SUMMARY = "Un gardien référent, relais de la médiation avec les locataires."


@pytest.fixture
def atelier(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    f.EnjeuFactory(
        axis=atelier.axis, position=1, title="La présence de proximité sur site"
    )
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    for username, first_name, role in (
        ("membre", "Claire", {}),
        ("membre-bis", "Karim", {}),
        ("referent", "Sylvie", {"landlord_referent": True}),
    ):
        user = f.UserFactory(
            username=username,
            first_name=first_name,
            last_name="Martin",
            organisation=landlord,
        )
        f.AtelierMembershipFactory(atelier=atelier, user=user, **role)
    return atelier


def field_error(page, name: str) -> str:
    """The error announced for a field: it must be associated with the field
    (aria-describedby, inside the field's container), and the field marked
    invalid. Returns the error's text."""
    field = page.locator(f"#id_{name}")
    assert field.get_attribute("aria-invalid") == "true", name
    described_by = (field.get_attribute("aria-describedby") or "").split()
    errors = [
        page.locator(f"#div_id_{name} #{element_id}")
        for element_id in described_by
        if element_id.endswith("_error")
    ]
    assert errors, f"no error in aria-describedby of {name}: {described_by}"
    assert errors[0].is_visible()
    text = errors[0].inner_text().strip()
    assert text, name
    return text


def test_write_edit_in_conflict_and_submit_a_proposal(visit, a11y, atelier):
    # --- A member logs in and writes a draft with the keyboard only ----------
    claire = visit()
    claire.log_in("membre", keyboard=True)
    page = claire.page
    # On the next page, the first Tab shows the skip link; Enter goes to the
    # main content.
    page.keyboard.press("Tab")
    skip = claire.assert_focus_visible()
    assert skip["tag"] == "a" and "skip-link" in page.evaluate(
        "document.activeElement.className"
    ), skip
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    claire.follow(page.locator(f'a.nav-link[href="{reverse("ateliers:list")}"]'))
    claire.follow(page.locator(f'main a[href="{atelier.get_absolute_url()}"]').first)
    new_proposal = reverse("ateliers:proposal_create", kwargs={"pk": atelier.pk})
    claire.follow(page.locator(f'main a[href="{new_proposal}"]'))

    # Without a title nor an enjeu: refused, each error next to its field.
    claire.tab_to("#id_summary")
    page.keyboard.type(FIRST_SUMMARY)
    claire.assert_focus_visible_after_tab_to(".proposal-form button[type=submit]")
    response = claire.press("Enter")
    assert response.status == 200
    summary_box = page.locator(".form-error-summary[role=alert]")
    assert summary_box.is_visible()
    assert summary_box.locator('a[href="#id_title"]').count() == 1
    assert field_error(page, "title")
    assert field_error(page, "enjeu")
    assert page.locator("#id_summary").input_value() == FIRST_SUMMARY

    # Corrected, still with the keyboard: title, then the enjeu with the arrows.
    claire.assert_focus_visible_after_tab_to("#id_title")
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    assert claire.assert_focus_visible()["id"] == "id_enjeu"
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_enjeu").input_value()
    claire.tab_to(".proposal-form button[type=submit]")
    claire.press("Enter")
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator(".page-status .status-badge--draft").is_visible()
    assert page.locator(".alert-success").is_visible()
    proposal_url = page.url
    edit_url = page.locator('.action-bar a[href$="/modifier/"]').get_attribute("href")

    # --- She edits it once ---------------------------------------------------
    claire.follow(page.locator(f'.action-bar a[href="{edit_url}"]'))
    # The timetable counts down its 2 000 characters; a paste past them is
    # kept whole (the browser would cut it), said to be too long, and refused
    # with the text still there.
    counter = page.locator("#id_timetable_count")
    assert counter.inner_text() == "Caractères restants\u00a0: 2\u202f000"
    assert "id_timetable_count" in page.locator("#id_timetable").get_attribute(
        "aria-describedby"
    )
    too_long = ("Une permanence par semaine. " * 72).strip()  # 2 015 characters
    page.fill("#id_timetable", too_long)
    assert counter.inner_text().startswith("Caractères en trop\u00a0: 15.")
    claire.follow(page.locator(".proposal-form button[type=submit]"))
    assert "au plus 2" in field_error(page, "timetable")
    assert page.locator("#id_timetable").input_value() == too_long
    page.fill("#id_timetable", "")
    page.fill("#id_description", "Le gardien tient une permanence dans le hall.")
    claire.follow(page.locator(".proposal-form button[type=submit]"))
    assert page.url == proposal_url
    assert "(version 2)" in page.locator(".alert-success").inner_text()

    # --- Two members open the edit form at the same time ---------------------
    karim = visit()
    karim.log_in("membre-bis")
    karim.goto(edit_url)
    claire.goto(edit_url)

    page.fill("#id_summary", THEIR_SUMMARY)
    page.fill("#id_timetable", THEIR_TIMETABLE)
    claire.follow(page.locator(".proposal-form button[type=submit]"))
    assert "(version 3)" in page.locator(".alert-success").inner_text()

    other = karim.page
    other.fill("#id_summary", MY_SUMMARY)
    response = karim.follow(other.locator(".proposal-form button[type=submit]"))

    # Karim is told, his text is still there, Claire's changes are shown.
    assert response.status == 409
    conflict = other.locator(".conflict-alert[role=alert]")
    assert conflict.is_visible()
    assert "Claire Martin" in conflict.locator(".conflict-revisions").inner_text()
    changes = conflict.locator(".diff-list").inner_text()
    assert "gardiennage" in changes  # Claire's new words in the summary
    assert "printemps 2007" in changes  # and her timetable
    assert other.locator("#id_summary").input_value() == MY_SUMMARY
    # The field only Claire changed is already merged into his form.
    assert other.locator("#id_timetable").input_value() == THEIR_TIMETABLE

    # He brings in what he keeps of hers and saves: both edits are kept.
    other.fill("#id_summary", f"{MY_SUMMARY} Une permanence de gardiennage.")
    karim.follow(other.locator(".proposal-form button[type=submit]"))
    assert "(version 4)" in other.locator(".alert-success").inner_text()
    summary = other.locator(".proposal-summary").inner_text()
    assert "médiation" in summary
    assert "gardiennage" in summary
    assert THEIR_TIMETABLE in other.locator("main").inner_text()

    # --- The co-animator submits it to the commission -------------------------
    sylvie = visit()
    sylvie.log_in("referent")
    sylvie.goto(proposal_url)
    submit = reverse(
        "ateliers:proposal_submit", kwargs={"pk": int(proposal_url.split("/")[-2])}
    )
    # It asks first, saying the commission is told; then it is done.
    sylvie.follow(sylvie.page.locator(f'main a[href="{submit}"]'))
    assert sylvie.page.locator('main input[name="confirmed"]').count() == 1
    sylvie.follow(sylvie.page.locator(f'form[action="{submit}"] button').first)
    assert sylvie.page.locator(".page-status .status-badge--submitted").is_visible()
    assert sylvie.page.locator(".alert-success").is_visible()

    a11y.assert_clean(minimum_pages=15)

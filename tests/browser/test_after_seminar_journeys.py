"""Journeys 5 and 6, in a real browser, with axe-core on every page reached.

5. The seminar: the secretariat invites the people of a landlord from the
   portal and adds an elected official by hand; the official, who has no
   account, replies through their personal link; the secretariat sees the
   reply in the guest list and downloads the attendance list.
6. Capitalisation: a landlord's staff member writes an experience sheet and
   sends it for review; the secretariat publishes it from the review queue; a
   partner finds it in the library by searching a word of its text.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from axes.models import Axis
from capitalisation.models import ExperienceSheet
from seminaire.models import Event, Invitation
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

SHEET = "Diagnostic en marchant avec les locataires"
OFFICIAL = "Martine Sorbier"


@pytest.fixture
def people(transactional_db):
    load_reference_fixtures()
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    return {
        "secretariat": f.UserFactory(
            username="secretariat",
            first_name="Claire",
            last_name="Tilleul",
            secretariat=True,
        ),
        "membre": f.UserFactory(
            username="membre",
            first_name="Nadia",
            last_name="Saule",
            organisation=landlord,
            email="nadia.saule@example.org",
        ),
        "collegue": f.UserFactory(
            username="collegue",
            first_name="Paul",
            last_name="Frêne",
            organisation=landlord,
            email="paul.frene@example.org",
        ),
        "partenaire": f.UserFactory(
            username="partenaire",
            organisation=f.OrganisationFactory(name="DDE de la Loire", kind="state"),
            partner=True,
        ),
    }


def test_invite_reply_without_an_account_and_print_the_list(visit, a11y, people):
    claire = visit()
    claire.log_in("secretariat")
    page = claire.page

    # --- The seminar -----------------------------------------------------------
    claire.goto(reverse("seminaire:create"))
    page.fill("#id_title", "Séminaire de présentation du référentiel CUCS")
    starts = timezone.localtime() + datetime.timedelta(days=20)
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_place", "Musée d’art moderne de Saint-Étienne")
    claire.follow(page.locator("main form button[type=submit]").first)
    assert page.locator("h1").inner_text().startswith("Séminaire de présentation")
    event = Event.objects.get()
    event_url = page.url

    # --- The landlord's people, from the portal --------------------------------
    claire.follow(
        page.locator(f'a[href="{reverse("seminaire:import", args=[event.pk])}"]')
    )
    page.locator("label", has_text="OPAC de la Loire").first.click()
    claire.follow(page.locator("main form button[type=submit]").first)
    assert page.locator(".alert-success").is_visible()
    guests = page.locator("#guests").inner_text()
    assert "Nadia Saule" in guests and "Paul Frêne" in guests

    # --- An elected official, by hand ------------------------------------------
    claire.follow(page.locator('a[href$="/invites/ajouter/"]').first)
    page.fill("#id_full_name", OFFICIAL)
    page.select_option("#id_category", "elected")
    page.fill("#id_email", "m.sorbier@example.org")
    page.fill("#id_job_title", "Adjointe au maire chargée du logement")
    claire.follow(page.locator("main form button[type=submit]").first)
    assert OFFICIAL in page.locator("#guests").inner_text()

    # --- She replies through her personal link, without an account -------------
    official = visit()
    key = Invitation.objects.get(full_name=OFFICIAL).key
    official.goto(reverse("seminaire:reply", kwargs={"key": key}))
    assert "Séminaire de présentation" in official.page.locator("h1").inner_text()
    official.page.fill("#id_comment", "Je viendrai avec mon directeur de cabinet.")
    official.follow(official.page.locator('button[value="attending"]'))
    assert official.page.locator(".alert-success").is_visible()

    # --- The secretariat sees it and prints the attendance list ----------------
    claire.goto(event_url)
    row = page.locator("#guests tr", has_text=OFFICIAL)
    assert row.count() == 1
    attendance = reverse("seminaire:attendance_pdf", args=[event.pk])
    with page.expect_download() as download:
        page.locator(f'a[href="{attendance}"]').click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")

    a11y.assert_clean(minimum_pages=6)


def test_write_review_publish_and_find_an_experience_sheet(visit, a11y, people):
    nadia = visit()
    nadia.log_in("membre")
    page = nadia.page

    # --- She writes the sheet and sends it for review --------------------------
    nadia.goto(reverse("capitalisation:library"))
    nadia.follow(page.locator(f'a[href="{reverse("capitalisation:create")}"]').first)
    page.fill("#id_title", SHEET)
    page.fill(
        "#id_summary",
        "Une visite des halls et des abords avec les amicales, deux fois l’an.",
    )
    page.select_option("#id_axis", str(Axis.objects.get(number=6).pk))
    page.fill(
        "#id_what_was_done",
        "- Un parcours préparé avec l’amicale.\n- Les désordres relevés sur plan.",
    )
    page.fill("#id_results", "Trente-deux désordres relevés, vingt traités en un mois.")
    nadia.follow(page.locator(".sheet-form button[type=submit]"))
    assert page.locator("h1").inner_text() == SHEET
    nadia.follow(page.locator('form[action$="/soumettre/"] button[type=submit]'))
    sheet = ExperienceSheet.objects.get(title=SHEET)
    assert sheet.status == ExperienceSheet.Status.SUBMITTED

    # --- The secretariat publishes it from the review queue --------------------
    claire = visit()
    claire.log_in("secretariat")
    claire.goto(reverse("capitalisation:review_queue"))
    claire.follow(claire.page.locator(f'a[href="{sheet.get_absolute_url()}"]').first)
    # Publishing asks first, on the same address.
    claire.follow(claire.page.locator('main a[href$="/publier/"]'))
    assert sheet.get_absolute_url() in claire.page.locator(
        "main .btn-link"
    ).get_attribute("href")
    claire.follow(claire.page.locator('form[action$="/publier/"] button[type=submit]'))
    sheet.refresh_from_db()
    assert sheet.status == ExperienceSheet.Status.PUBLISHED

    # --- A partner finds it by a word of its text ------------------------------
    partner = visit()
    partner.log_in("partenaire")
    partner.goto(reverse("capitalisation:library") + "?q=désordres")
    results = partner.page.locator("main").inner_text()
    assert SHEET in results
    partner.follow(partner.page.locator(f'a[href="{sheet.get_absolute_url()}"]').first)
    assert partner.page.locator("h1").inner_text() == SHEET

    a11y.assert_clean(minimum_pages=8)

"""In a real browser: a co-animator attaches the signed attendance sheet to a
session of their atelier, a volunteer downloads it from the atelier's page,
and a file that is not what its name says is refused with a message."""

from pathlib import Path

import pytest
from django.urls import reverse

from axes.models import Axis
from cucs_portal.models import Attachment
from tests import factories as f
from tests.cucs_portal.attachment_files import PDF_BYTES
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

SHEET_NAME = "Feuille d’émargement signée.pdf"


@pytest.fixture
def session(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    for username, role in (("referent", {"landlord_referent": True}), ("membre", {})):
        user = f.UserFactory(username=username, organisation=landlord)
        f.AtelierMembershipFactory(atelier=atelier, user=user, **role)
    return f.SessionFactory(atelier=atelier)


def test_a_coanimator_attaches_signed_minutes_and_a_member_downloads_them(
    visit, a11y, session, tmp_path: Path
):
    signed = tmp_path / SHEET_NAME
    signed.write_bytes(PDF_BYTES)
    disguised = tmp_path / "compte-rendu.pdf"
    disguised.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    kwargs = {"pk": session.atelier_id, "session_pk": session.pk}

    sylvie = visit()
    sylvie.log_in("referent")
    page = sylvie.page
    sylvie.goto(reverse("ateliers:session_record", kwargs=kwargs))
    form = page.locator("form.attachment-form")
    form.locator("input[type=file]").set_input_files(str(disguised))
    sylvie.follow(form.locator("button[type=submit]"))
    assert (
        "PDF, ODT, ODS, DOCX, XLSX, PNG"
        in page.locator(".invalid-feedback").inner_text()
    )
    assert not Attachment.objects.exists()
    page.locator("input[type=file]").set_input_files(str(signed))
    sylvie.follow(page.locator("main form button[type=submit]"))
    assert page.locator(f"#session-{session.pk}").count() == 1
    assert Attachment.objects.get().original_name == SHEET_NAME

    claire = visit()
    claire.log_in("membre")
    claire.goto(session.atelier.get_absolute_url())
    link = claire.page.get_by_role("link", name=SHEET_NAME)
    with claire.page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == SHEET_NAME
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    a11y.assert_clean(minimum_pages=5)

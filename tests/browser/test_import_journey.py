"""In a real browser, with axe-core on every page: the secretariat imports
seminar guests from an ODS made by LibreOffice (or a CSV without it): a first
file with a wrong address is previewed with the row's error, corrected, then
previewed again with a duplicate skipped, imported, and the import undone."""

from pathlib import Path

import pytest
from django.urls import reverse

from imports.models import ImportBatch
from seminaire.models import Invitation
from tests import factories as f
from tests.imports.files import SOFFICE, convert, csv_bytes
from tests.seminaire.factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.browser

HEADER = ["Nom", "Prénom", "Courriel", "Organisation", "Catégorie"]


@pytest.fixture
def seminar(transactional_db):
    f.UserFactory(username="secretariat", secretariat=True)
    f.OrganisationFactory(name="Loire Habitat", short_name="LH")
    event = EventFactory(title="Séminaire du 10 mai 2007")
    InvitationFactory(event=event, email="deja@example.org", full_name="Déjà Là")
    return event


def guest_file(tmp_path: Path, name: str, rows) -> Path:
    data = csv_bytes([HEADER, *rows])
    if SOFFICE:
        path = tmp_path / f"{name}.ods"
        path.write_bytes(convert(data, tmp_path / name, name, formats=("ods",))["ods"])
    else:
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
    return path


def test_the_secretariat_imports_guests_then_undoes_it(visit, a11y, seminar, tmp_path):
    wrong = guest_file(
        tmp_path,
        "invites-faux",
        [
            ["Martin", "Jeanne", "jeanne.martin@example.org", "LH", "Bailleurs"],
            ["Rivière", "Paul", "paul-sans-arobase", "", "Élus"],
        ],
    )
    right = guest_file(
        tmp_path,
        "invites",
        [
            ["Martin", "Jeanne", "jeanne.martin@example.org", "LH", "Bailleurs"],
            ["Rivière", "Paul", "paul.riviere@example.org", "", "Élus"],
            ["Là", "Déjà", "DEJA@example.org", "", ""],
        ],
    )

    secretariat = visit()
    secretariat.log_in("secretariat")
    page = secretariat.page
    secretariat.goto(seminar.get_absolute_url())
    secretariat.follow(page.locator("a[href*='/import/invites/']"))
    assert page.locator("#id_event").input_value() == str(seminar.pk)

    page.locator("input[type=file]").set_input_files(str(wrong))
    secretariat.follow(page.locator("main form button[type=submit]"))
    assert "/import/apercu/" in page.url
    assert page.locator("#line-3.table-danger").count() == 1
    assert page.locator("#import-summary button").count() == 0
    assert not Invitation.objects.filter(email__icontains="paul").exists()

    secretariat.follow(page.locator("main .form-actions a[href$='/import/invites/']"))
    page.locator("input[type=file]").set_input_files(str(right))
    secretariat.follow(page.locator("main form button[type=submit]"))
    assert page.locator("#line-4.table-secondary").count() == 1
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    secretariat.follow(page.locator(".form-actions form button[type=submit]"))

    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.skipped_count) == (2, 1)
    assert page.url.endswith(reverse("imports:index") + f"#import-{batch.pk}")
    assert seminar.invitations.count() == 3

    secretariat.follow(page.locator(f"#import-{batch.pk} button[type=submit]"))
    assert seminar.invitations.count() == 1
    assert page.locator(f"#import-{batch.pk} button").count() == 0
    a11y.assert_clean(minimum_pages=7)

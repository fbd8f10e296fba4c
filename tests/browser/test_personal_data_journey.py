"""A person's data, in a real browser (axe-core on every page):

1. a person opens « Mes données » from the header and downloads the ZIP of
   their data;
2. the secretariat opens the erasure of a person, is refused without the
   confirmation, confirms, and the page says the account is now a former
   participant; the person can no longer sign in.
"""

import json
import zipfile

import pytest
from django.urls import reverse

from audit import services as audit_services
from people.models import User
from tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    f.UserFactory(username="secretariat", secretariat=True)
    return f.UserFactory(
        username="membre",
        first_name="Lucie",
        last_name="Martin",
        email="lucie.martin@example.org",
    )


def test_a_person_downloads_their_data(visit, a11y, people):
    member = visit()
    member.log_in("membre")

    # By address: the names are French once the catalog holds them.
    member.open_account_menu()
    member.follow(member.page.locator(f'header a[href="{reverse("people:my_data")}"]'))
    with member.page.expect_download() as download:
        member.page.locator(f'a[href="{reverse("people:my_data_download")}"]').click()

    archive = zipfile.ZipFile(download.value.path())
    data = json.loads(archive.read("donnees.json"))
    assert data["records"]["people.user"][0]["email"] == "lucie.martin@example.org"
    a11y.assert_clean(minimum_pages=2)


def test_the_secretariat_erases_a_person(visit, a11y, people):
    secretariat = visit()
    secretariat.log_in("secretariat")

    secretariat.goto(reverse("audit:person_erase", kwargs={"pk": people.pk}))
    button = secretariat.page.locator("main button[type=submit]")
    secretariat.follow(button)
    assert secretariat.page.locator(".invalid-feedback").count() == 1
    secretariat.page.locator("input[name=confirm]").check()
    secretariat.follow(button)

    assert audit_services.pseudonym(1) in secretariat.page.content()
    erased = User.objects.get(pk=people.pk)
    assert erased.is_erased and not erased.is_active
    a11y.assert_clean(minimum_pages=4)

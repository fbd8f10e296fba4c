"""« Mes données » and the erasure read in French; the pseudonym is French
in the database, whatever the language of the secretariat member who
erases. (Skipped until the French catalog holds these texts: the
integrator fills it.)"""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from audit import services as audit_services
from seminaire import retention
from tests import factories as f
from tests.seminaire.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_catalog():
    with translation.override("fr"):
        translated = translation.gettext("My data") != "My data"
    if not translated:
        pytest.skip("the French catalog does not hold the texts of « Mes données » yet")


def test_my_data_is_in_french(client):
    client.force_login(f.UserFactory())

    html = client.get(reverse("people:my_data")).content.decode()

    assert "Mes données" in html
    assert "Télécharger mes données (ZIP)" in html


def test_the_readable_file_is_in_french(client):
    client.force_login(f.UserFactory(first_name="Anne", last_name="Roux"))

    response = client.get(reverse("people:my_data_download"))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    html = archive.read("mes-donnees.html").decode()
    assert "Ce que le Portail CUCS conserve sur Anne Roux" in html
    assert "Adresse électronique" in html


def test_the_erasure_page_and_the_pseudonym_are_in_french(client):
    secretariat = f.UserFactory(secretariat=True)
    client.force_login(secretariat)
    target = f.UserFactory()
    url = reverse("audit:person_erase", kwargs={"pk": target.pk})

    assert "Ce qui va se passer" in client.get(url).content.decode()
    with translation.override("en"):
        erased = audit_services.person_erase(person=target, acting_user=secretariat)

    assert str(erased) == f"Ancien participant n° {erased.erasure_number}"


def test_a_purged_guest_is_named_in_french():
    guest = InvitationFactory()

    with translation.override("en"):
        assert retention.guest_pseudonym(guest) == f"Ancien invité n° {guest.pk}"

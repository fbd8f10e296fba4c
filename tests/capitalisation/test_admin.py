"""The admin of the sheets (the capitalisation part of the demo data is checked
in tests/demo/test_seed_demo.py)."""

import pytest
from django.urls import reverse

from capitalisation.models import ExperienceSheet
from tests import factories as f

from .factories import ExperienceSheetFactory

pytestmark = pytest.mark.django_db

S = ExperienceSheet.Status


def test_the_admin_lists_and_shows_sheets_read_only(client, reference_data):
    sheet = ExperienceSheetFactory(status=S.PUBLISHED)
    client.force_login(f.UserFactory(superuser=True))

    listing = client.get(reverse("admin:capitalisation_experiencesheet_changelist"))
    change = client.get(
        reverse("admin:capitalisation_experiencesheet_change", args=[sheet.pk])
    )
    searched = client.get(
        reverse("admin:capitalisation_experiencesheet_changelist"), {"q": "x"}
    )

    assert listing.status_code == change.status_code == searched.status_code == 200
    assert sheet.title in listing.content.decode()
    assert 'name="_save"' not in change.content.decode()

"""The capitalisation part of the demo data (demo/capitalisation.py) and the
admin of the sheets."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from capitalisation.models import ExperienceSheet
from tests import factories as f

from .factories import ExperienceSheetFactory

pytestmark = pytest.mark.django_db

S = ExperienceSheet.Status


def seed_demo():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def sheet_rows():
    return (
        list(ExperienceSheet.objects.order_by("pk").values_list()),
        ExperienceSheet.territories.through.objects.count(),
        ExperienceSheet.proposals.through.objects.count(),
        AuditEvent.objects.filter(action__startswith="sheet_").count(),
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield sheet_rows()
        transaction.set_rollback(True)


def test_the_demo_has_a_few_dozen_sheets_in_every_state(seeded):
    statuses = Counter(ExperienceSheet.objects.values_list("status", flat=True))

    assert 30 <= sum(statuses.values()) <= 40
    assert statuses[S.PUBLISHED] > sum(statuses.values()) / 2
    assert all(statuses[status] for status in S.values)
    assert ExperienceSheet.objects.published().values("axis").distinct().count() == 6


def test_the_demo_logins_have_sheets_to_show(seeded):
    """ "membre" has a draft and a returned sheet; the secretariat has sheets to
    review; the returned ones carry their comment in the journal."""
    mine = set(
        ExperienceSheet.objects.filter(author__username="membre").values_list(
            "status", flat=True
        )
    )
    assert {S.DRAFT, S.RETURNED, S.PUBLISHED} <= mine
    assert ExperienceSheet.objects.filter(status=S.SUBMITTED).exists()
    for sheet in ExperienceSheet.objects.filter(status=S.RETURNED):
        returned = AuditEvent.for_object(sheet).get(action="sheet_return")
        assert returned.comment == sheet.review_comment


def test_the_demo_sheets_obey_the_model_rules(seeded):
    for sheet in ExperienceSheet.objects.all():
        sheet.full_clean()
        assert sheet.author.organisation.kind == "landlord"
        assert sheet.contact_email.endswith("@example.org")


def test_seeding_again_changes_no_sheet(seeded):
    seed_demo()

    assert sheet_rows() == seeded


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

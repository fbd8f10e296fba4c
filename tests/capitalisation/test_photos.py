"""An experience sheet's photos through its pages: added without their EXIF,
shown inline on the published sheet, audited. Who may: test_photos_matrix.py."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from audit.models import AuditEvent
from capitalisation.models import ExperienceSheet
from capitalisation.verbs import CapitalisationVerb
from cucs_portal.models import Attachment
from tests.cucs_portal.attachment_files import (
    huge_png_header,
    jpeg_with_gps,
    pdf,
    upload,
)

from .factories import ExperienceSheetFactory

S = ExperienceSheet.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are checked in the source language: the French catalog
    may reword them without breaking these tests (tests/test_translations.py
    checks it is complete)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def sheet(world):
    return ExperienceSheetFactory(
        title="Médiation de nuit", author=world.people["member"], axis=world.ours.axis
    )


def add(client, sheet, file):
    return client.post(
        reverse("capitalisation:photo_add", kwargs={"pk": sheet.pk}), {"file": file}
    )


def test_a_published_sheet_shows_its_photo_without_exif(client, world, sheet):
    client.force_login(world.people["member"])
    response = add(client, sheet, upload("hall.jpg", jpeg_with_gps()))
    assert response.status_code == 302
    photo = Attachment.objects.for_object(sheet).get()
    event = AuditEvent.for_object(sheet).get(action=CapitalisationVerb.PHOTO_ADD)
    assert event.comment == "hall.jpg"
    ExperienceSheet.objects.filter(pk=sheet.pk).update(
        status=S.PUBLISHED, published_at=timezone.now()
    )
    client.force_login(world.people["partner"])

    page = client.get(sheet.get_absolute_url()).content.decode()
    url = reverse(
        "capitalisation:photo", kwargs={"pk": sheet.pk, "attachment_pk": photo.pk}
    )
    assert f'<img src="{url}"' in page
    served = client.get(url)

    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"].startswith('inline; filename="hall.jpg"')
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "sandbox; default-src 'none'"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert dict(image.getexif()) == {}


@pytest.mark.parametrize(
    ("file", "says"),
    [
        (pdf("photo.pdf"), "Only PNG or JPEG"),
        (upload("photo.png", huge_png_header()), "40"),
        (upload("photo.jpg", b""), ""),
    ],
    ids=["a pdf", "50000 x 50000 png", "zero bytes"],
)
def test_what_is_not_a_reasonable_photo_is_refused(client, world, sheet, file, says):
    client.force_login(world.people["member"])

    response = add(client, sheet, file)

    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors["file"])
    assert not Attachment.objects.exists()
    assert not AuditEvent.for_object(sheet).exists()


def test_removing_a_photo_is_audited(client, world, sheet):
    client.force_login(world.people["member"])
    add(client, sheet, upload("hall.jpg", jpeg_with_gps()))
    photo = Attachment.objects.get()

    client.post(
        reverse(
            "capitalisation:photo_remove",
            kwargs={"pk": sheet.pk, "attachment_pk": photo.pk},
        )
    )

    assert not Attachment.objects.exists()
    event = AuditEvent.for_object(sheet).get(action=CapitalisationVerb.PHOTO_REMOVE)
    assert event.actor == world.people["member"]


def test_the_sheet_page_makes_as_many_queries_with_one_photo_as_with_five(
    client, world, sheet
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cucs_portal import attachments
    from tests.cucs_portal.attachment_files import png

    client.force_login(world.people["member"])

    def add(count):
        for n in range(count):
            attachments.attach(
                obj=sheet,
                checked=attachments.check_upload(png(f"Photo {n}.png")),
                user=world.people["member"],
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(sheet.get_absolute_url()).status_code == 200
        return len(captured)

    add(1)
    queries()
    one = queries()
    add(4)

    assert queries() == one

"""The URL × role matrix of experience sheets' photos: see tests/matrix.py.

Besides the world, ``member`` wrote a sheet of each status (as in
test_url_matrix.py), each with a photo, and the commission delegate's draft
has one. A photo is seen by whoever reads its sheet (a published sheet: every
signed-in person, partners included), and added or removed by the sheet's
author while it is in their hands (draft, returned) and by the secretariat.
"""

import pytest

from audit.models import AuditEvent
from capitalisation.models import ExperienceSheet
from cucs_portal import attachments
from cucs_portal.models import Attachment
from tests.cucs_portal.attachment_files import pdf, png
from tests.matrix import (
    NO_SUCH_ID,
    D,
    L,
    M,
    Missing,
    N,
    Page,
    R,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)

from .factories import ExperienceSheetFactory

S = ExperienceSheet.Status
AUTHOR_STATUSES = ExperienceSheet.AUTHOR_STATUSES


def on(name):
    return lambda world: {"pk": world.sheets[name].pk}


def on_photo(name, photo=None):
    return lambda world: {
        "pk": world.sheets[name].pk,
        "attachment_pk": world.photos[photo or name].pk,
    }


def photos_part(name):
    return lambda world: world.sheets[name].get_absolute_url() + "#photos"


PAGES = {
    **{
        f"{status} sheet, photo": Page("capitalisation:photo", on_photo(status))
        for status in S.values
    },
    "photo of another sheet": Page(
        "capitalisation:photo", on_photo(S.PUBLISHED, "theirs")
    ),
    "photo, missing": Page(
        "capitalisation:photo",
        lambda w: {"pk": w.sheets[S.PUBLISHED].pk, "attachment_pk": NO_SUCH_ID},
    ),
    **{
        f"{status} sheet, add a photo": Page("capitalisation:photo_add", on(status))
        for status in S.values
    },
    "add a photo, missing sheet": Page(
        "capitalisation:photo_add", lambda w: {"pk": NO_SUCH_ID}
    ),
    **{
        f"{status} sheet, add a photo, save": Page(
            "capitalisation:photo_add",
            on(status),
            method="post",
            data=lambda w: {"file": png("Hall rénové.png")},
            done=photos_part(status),
        )
        for status in (S.DRAFT, S.PUBLISHED)
    },
    "add a PDF as a photo": Page(
        "capitalisation:photo_add",
        on(S.DRAFT),
        method="post",
        data=lambda w: {"file": pdf("photo.pdf")},
    ),
    **{
        f"{status} sheet, remove a photo": Page(
            "capitalisation:photo_remove",
            on_photo(status),
            method="post",
            done=photos_part(status),
        )
        for status in (S.RETURNED, S.SUBMITTED)
    },
    "remove a photo, read": Page("capitalisation:photo_remove", on_photo(S.DRAFT)),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EVERYONE = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
READ_UNPUBLISHED = (L,  Y,  Y,  Y,  D,  Y,  D,  Y,  D,  D,  Y)
ELSEWHERE = (L,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
AUTHOR_OR_SECRETARIAT = (L,  Y,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
AUTHOR_OR_SECRETARIAT_SAVES = (L,  R,  D,  D,  D,  D,  D,  R,  D,  D,  R)
AUTHOR_OR_SECRETARIAT_INVALID = (L,  400, D,  D,  D,  D,  D,  400, D,  D,  400)
AUTHOR_OR_SECRETARIAT_READ = (L,  N,  D,  D,  D,  D,  D,  N,  D,  D,  N)
SECRETARIAT = (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
SECRETARIAT_SAVES = (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R)
MISSING = Missing()
EXPECTED = {
    **{f"{status} sheet, photo": EVERYONE if status == S.PUBLISHED else READ_UNPUBLISHED
       for status in S.values},
    "photo of another sheet": ELSEWHERE,
    "photo, missing": MISSING,
    **{f"{status} sheet, add a photo": (
        AUTHOR_OR_SECRETARIAT if status in AUTHOR_STATUSES else SECRETARIAT)
       for status in S.values},
    "add a photo, missing sheet": MISSING,
    "draft sheet, add a photo, save": AUTHOR_OR_SECRETARIAT_SAVES,
    "published sheet, add a photo, save": SECRETARIAT_SAVES,
    "add a PDF as a photo": AUTHOR_OR_SECRETARIAT_INVALID,
    "returned sheet, remove a photo": AUTHOR_OR_SECRETARIAT_SAVES,
    "submitted sheet, remove a photo": SECRETARIAT_SAVES,
    "remove a photo, read": AUTHOR_OR_SECRETARIAT_READ,
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    member, delegate = world.people["member"], world.people["commission"]
    with django_db_blocker.unblock():
        world.sheets = {
            status: ExperienceSheetFactory(
                title=f"Fiche {status} du bailleur",
                author=member,
                axis=world.ours.axis,
                status=status,
            )
            for status in S.values
        }
        world.sheets["theirs"] = ExperienceSheetFactory(
            title="Brouillon d’un autre bailleur", author=delegate
        )
        world.photos = {
            name: attachments.attach(
                obj=sheet,
                checked=attachments.check_upload(png(f"Photo {name}.png")),
                user=sheet.author,
            )
            for name, sheet in world.sheets.items()
        }
    return world


def database_state():
    return (
        list(
            Attachment.objects.order_by("pk").values_list(
                "pk", "object_id", "original_name"
            )
        ),
        AuditEvent.objects.count(),
    )


def test_every_page_has_its_row():
    from tests.matrix import assert_rows_complete

    assert_rows_complete(PAGES, EXPECTED)


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


@pytest.mark.parametrize("role", ["member", "secretariat", "partner"])
@pytest.mark.parametrize("status", S.values)
def test_sheet_pages_with_photos_keep_to_the_csp(client, world, role, status):
    client.force_login(world.people[role])

    response = client.get(world.sheets[status].get_absolute_url())

    assert response.status_code in {200, 403}
    assert_no_inline_code(response)
    _url, form = request(client, world, role, PAGES[f"{status} sheet, add a photo"])
    assert_no_inline_code(form)

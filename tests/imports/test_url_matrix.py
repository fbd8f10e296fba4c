"""The URL × role matrix of the imports: see tests/matrix.py.

Only the AMO2SM secretariat and superusers import (imports/rules.py): everyone
else signed in gets a 403, whoever they are, before anything is read. A file
waiting for its confirmation is its uploader's only: the world's is the
secretariat's, so a superuser gets a 404 on it (the lookup is keyed to the
person), as everyone allowed does on a token that does not exist.

The world adds a seminar (guests are imported into one), a file uploaded by
the secretariat and waiting, and a past import of one person by the
secretariat, the last of its kind (so it can be undone).
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from imports import services
from imports.models import ImportBatch, PendingImport
from people.models import Organisation, User
from seminaire.models import Event, Invitation
from tests.cucs_portal.test_security_headers import assert_security_headers
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

from .files import csv_bytes

pytestmark = pytest.mark.django_db

PEOPLE = csv_bytes([["Nom", "Prénom", "Courriel"], ["Matrice", "Anne", "anne@m.org"]])


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    secretariat = world.people["secretariat"]
    with django_db_blocker.unblock():
        world.event = Event.objects.create(
            title="Séminaire de la matrice",
            starts_at="2030-05-10T09:00:00+02:00",
            place="Saint-Étienne",
            created_by=secretariat,
        )
        pending = services.pending_create(
            user=secretariat, kind="people", data=PEOPLE, filename="liste.csv"
        )
        world.batch = services.import_confirm(pending=pending, acting_user=secretariat)
        world.pending = services.pending_create(
            user=secretariat,
            kind="people",
            data=PEOPLE.replace(b"anne@m.org", b"autre@m.org"),
            filename="liste.csv",
        )
    return world


def upload(kind, **extra):
    def data(world):
        fields = {"file": SimpleUploadedFile("liste.csv", PEOPLE_FOR[kind])}
        if kind == "invites":
            fields["event"] = world.event.pk
        return fields

    return data


PEOPLE_FOR = {
    "personnes": PEOPLE.replace(b"anne@m.org", b"nouvelle@m.org"),
    "organisations": csv_bytes([["Nom", "Type"], ["Mairie de la matrice", "commune"]]),
    "invites": PEOPLE.replace(b"anne@m.org", b"invitee@m.org"),
}


def preview_page(world):
    """The preview of the file the request just uploaded."""
    pending = PendingImport.objects.latest("pk")
    return reverse("imports:preview", kwargs={"token": pending.token})


def index_at(what):
    def url(world):
        batch = ImportBatch.objects.latest("pk") if what == "latest" else world.batch
        return reverse("imports:index") + f"#import-{batch.pk}"

    return url


def kind(slug):
    return lambda world: {"kind": slug}


def token(world):
    return {"token": world.pending.token}


PAGES = {
    "imports": Page("imports:index"),
    "upload people, form": Page("imports:upload", kind("personnes")),
    "upload organisations, form": Page("imports:upload", kind("organisations")),
    "upload guests, form": Page("imports:upload", kind("invites")),
    "upload people": Page(
        "imports:upload",
        kind("personnes"),
        method="post",
        data=upload("personnes"),
        done=preview_page,
    ),
    "upload organisations": Page(
        "imports:upload",
        kind("organisations"),
        method="post",
        data=upload("organisations"),
        done=preview_page,
    ),
    "upload guests": Page(
        "imports:upload",
        kind("invites"),
        method="post",
        data=upload("invites"),
        done=preview_page,
    ),
    "preview": Page("imports:preview", token),
    "preview, missing": Page("imports:preview", lambda w: {"token": uuid.uuid4()}),
    "confirm": Page("imports:preview", token, method="post", done=index_at("latest")),
    "undo": Page(
        "imports:undo",
        lambda w: {"pk": w.batch.pk},
        method="post",
        done=index_at("batch"),
    ),
    "undo, read": Page("imports:undo", lambda w: {"pk": w.batch.pk}),
    "undo, missing": Page("imports:undo", lambda w: {"pk": NO_SUCH_ID}, method="post"),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
SECRETARIAT = (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
SAVES = (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R)
EXPECTED = {
    #                              an  me  ot  re  pu  oc  co  se  pa  pl  su
    "imports":                    SECRETARIAT,
    "upload people, form":        SECRETARIAT,
    "upload organisations, form": SECRETARIAT,
    "upload guests, form":        SECRETARIAT,
    "upload people":              SAVES,
    "upload organisations":       SAVES,
    "upload guests":              SAVES,
    # The secretariat's own file: another person's token is a 404.
    "preview":                    (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  M),
    "preview, missing":           Missing(),
    "confirm":                    (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  M),
    "undo":                       SAVES,
    "undo, read":                 (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "undo, missing":              Missing(),
}
# fmt: on


def database_state():
    """What the imports can change, in a comparable form."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "email")),
        list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        list(Invitation.objects.order_by("pk").values_list("pk", "email")),
        list(PendingImport.objects.order_by("pk").values_list("pk", "token")),
        list(ImportBatch.objects.order_by("pk").values_list("pk", "undone_at")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; anyone signed in but
    the secretariat and superusers gets a 403 and nothing is read or saved; an
    upload goes on to its preview, a confirmation and an undo back to the
    list of imports; a file waiting is its uploader's only (404 to anyone
    else); a GET on the undo is a 405."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [name for name, page in PAGES.items() if page.method == "get"]


@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("role", ["secretariat", "member"])
def test_no_page_of_the_imports_has_inline_code(client, world, page, role):
    """Every page of the imports, as the secretariat and as someone refused
    sees it, keeps to the Content-Security-Policy."""
    _url, response = request(client, world, role, PAGES[page])

    assert_no_inline_code(response)
    if response.get("Content-Type", "").startswith("text/html"):
        assert_security_headers(response)

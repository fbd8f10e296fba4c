"""The URL × role matrix of a person's data: see tests/matrix.py.

Who does what:

- everyone signed in reads « Mes données » and downloads their own data
  (people/rules.py): what they get is always their own;
- the secretariat erases a person (audit/views.py), only an account strictly
  less privileged than theirs: never themselves, another secretariat member
  or a superuser; a superuser erases a secretariat member, never another
  superuser nor themselves. An account erased already says so to whoever
  reads the journal (the secretariat), with a note on a second erasure.
  Besides the world: ``erasable``, a person with no role, and ``erased``, an
  account erased already.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import User
from tests import factories as f
from tests.matrix import (
    NO_SUCH_ID,
    D,
    L,
    Missing,
    Page,
    R,
    W,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)


def on(name):
    return lambda world: {"pk": getattr(world, name).pk}


def on_person(role):
    return lambda world: {"pk": world.people[role].pk}


def erase_page(name):
    return lambda world: reverse("audit:person_erase", kwargs=on(name)(world))


def erase_person_page(role):
    return lambda world: reverse("audit:person_erase", kwargs=on_person(role)(world))


CONFIRM = {"confirm": "on"}

PAGES = {
    "my data": Page("people:my_data"),
    "my data, download": Page("people:my_data_download"),
    "erase a person, page": Page("audit:person_erase", on("erasable")),
    "erase a person": Page(
        "audit:person_erase",
        on("erasable"),
        method="post",
        data=CONFIRM,
        done=erase_page("erasable"),
    ),
    "erase the secretariat, page": Page("audit:person_erase", on_person("secretariat")),
    "erase the secretariat": Page(
        "audit:person_erase",
        on_person("secretariat"),
        method="post",
        data=CONFIRM,
        done=erase_person_page("secretariat"),
    ),
    "erase the superuser": Page(
        "audit:person_erase",
        on_person("superuser"),
        method="post",
        data=CONFIRM,
        done=erase_person_page("superuser"),
    ),
    "erase an erased account, page": Page("audit:person_erase", on("erased")),
    "erase an erased account": Page(
        "audit:person_erase",
        on("erased"),
        method="post",
        data=CONFIRM,
        done=erase_page("erased"),
    ),
    "erase, missing": Page(
        "audit:person_erase", lambda w: {"pk": NO_SUCH_ID}, method="post"
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EXPECTED = {
    #                                    an  me  ot  re  pu  oc  co  se  pa  pl  su
    "my data":                          (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "my data, download":                (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "erase a person, page":             (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y),
    "erase a person":                   (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "erase the secretariat, page":      (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y),
    "erase the secretariat":            (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  R),
    "erase the superuser":              (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  D),
    "erase an erased account, page":    (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y),
    "erase an erased account":          (L,  D,  D,  D,  D,  D,  D,  W,  D,  D,  W),
    "erase, missing":                   Missing(),
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        world.erasable = f.UserFactory(first_name="Paul", last_name="Durand")
        world.erased = f.UserFactory(
            last_name="Ancien participant n° 1",
            erasure_number=1,
            erased_at=timezone.now(),
            is_active=False,
        )
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "email", "is_active", "erasure_number"
            )
        ),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page. Everyone signed in
    reads « Mes données » and downloads their data. The secretariat erases a
    person without privileges; a superuser a secretariat member too; nobody
    a superuser; a second erasure is a note."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


@pytest.mark.parametrize("role", ["member", "secretariat", "superuser"])
@pytest.mark.parametrize(
    "page", [name for name, page in PAGES.items() if page.method == "get"]
)
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404, 405}
    assert_no_inline_code(response)


def test_the_download_is_the_signed_in_person_s_own(client, world):
    """Whoever asks, the account in the file is theirs."""
    import io
    import json
    import zipfile

    for role in ("member", "secretariat", "superuser"):
        client.force_login(world.people[role])
        response = client.get(reverse("people:my_data_download"))
        data = json.loads(
            zipfile.ZipFile(io.BytesIO(response.content)).read("donnees.json")
        )
        assert [row["id"] for row in data["records"]["people.user"]] == [
            world.people[role].pk
        ]

"""The URL × role matrix of the calendars: see tests/matrix.py.

Who does what (calendars/rules.py):

- every signed-in person finds their own address on « Mes calendriers » and
  renews it (nobody renews another's: the address renewed is always the
  signed-in person's own);
- the co-animators of an atelier (``landlord_referent`` and
  ``public_coanimator`` for ``ours``) and the secretariat renew the atelier's
  address;
- a feed opens without signing in, for whoever holds its address, and is a
  404 for a wrong token, whoever asks.
"""

import pytest

from audit.models import AuditEvent
from calendars.models import FeedSecret, feed_token
from calendars.selectors import current_salt
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

ATELIER, PERSON = FeedSecret.Kind.ATELIER, FeedSecret.Kind.PERSON


def mine(world):
    from django.urls import reverse

    return reverse("calendars:mine")


def atelier_feed(*, wrong=False):
    def kwargs(world):
        pk = world.ours.pk
        token = feed_token(ATELIER, pk, current_salt(ATELIER, pk))
        return {"pk": pk, "token": "f" * 40 if wrong else token}

    return kwargs


def wronged(token: str) -> str:
    """The token with its last digit changed (a fixed "0" would be the token
    itself once in sixteen)."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


def person_feed(*, wrong=False):
    def kwargs(world):
        pk = world.people["member"].pk
        token = feed_token(PERSON, pk, current_salt(PERSON, pk))
        return {"pk": pk, "token": wronged(token) if wrong else token}

    return kwargs


PAGES = {
    "my calendars": Page("calendars:mine"),
    "renew my address": Page("calendars:renew_person", method="post", done=mine),
    "renew my address, read": Page("calendars:renew_person"),
    "renew the atelier's address": Page(
        "calendars:renew_atelier",
        lambda w: {"pk": w.ours.pk},
        method="post",
        done=mine,
    ),
    "renew the atelier's address, read": Page(
        "calendars:renew_atelier", lambda w: {"pk": w.ours.pk}
    ),
    "renew an atelier's address, missing": Page(
        "calendars:renew_atelier", lambda w: {"pk": NO_SUCH_ID}, method="post"
    ),
    "atelier feed": Page("calendars:atelier_feed", atelier_feed()),
    "atelier feed, wrong token": Page(
        "calendars:atelier_feed", atelier_feed(wrong=True)
    ),
    "atelier feed, missing": Page(
        "calendars:atelier_feed", lambda w: {"pk": NO_SUCH_ID, "token": "a" * 40}
    ),
    "person feed": Page("calendars:person_feed", person_feed()),
    "person feed, wrong token": Page("calendars:person_feed", person_feed(wrong=True)),
    "person feed, missing": Page(
        "calendars:person_feed", lambda w: {"pk": NO_SUCH_ID, "token": "a" * 40}
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
SIGNED_IN = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
# Without signing in: the address is the key.
ANYONE = (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
NOBODY = (M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
EXPECTED = {
    #                                      an  me  ot  re  pu  oc  co  se  pa  pl  su
    "my calendars":                       SIGNED_IN,
    "renew my address":                   (L,  R,  R,  R,  R,  R,  R,  R,  R,  R,  R),
    "renew my address, read":             (L,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N),
    "renew the atelier's address":        (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "renew the atelier's address, read":  (L,  D,  D,  N,  N,  D,  D,  N,  D,  D,  N),
    "renew an atelier's address, missing": Missing(),
    "atelier feed":                       ANYONE,
    "atelier feed, wrong token":          NOBODY,
    "atelier feed, missing":              NOBODY,
    "person feed":                        ANYONE,
    "person feed, wrong token":           NOBODY,
    "person feed, missing":               NOBODY,
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(FeedSecret.objects.order_by("pk").values_list("pk", "salt")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page, except for the feeds,
    which their address opens; a wrong token is a 404 for everyone. An
    allowed renewal saves and goes back to « Mes calendriers »; an atelier's
    address is renewed by its co-animators and the secretariat only (403);
    a GET on a renewal is a 405."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


@pytest.mark.parametrize("role", ["member", "secretariat"])
@pytest.mark.parametrize(
    "page", [name for name, page in PAGES.items() if page.method == "get"]
)
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404, 405}
    assert_no_inline_code(response)

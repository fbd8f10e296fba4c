"""The URL × role matrix of two-factor authentication: see tests/matrix.py and
cucs_portal/two_factor.py.

Who does what (cucs_portal/rules.py):

- every signed-in person reads « Authentification à deux facteurs » and its
  set-up page; the confirmation of the set-up without the secret the set-up
  page keeps in the session (it expired, or was never shown) sends back to the
  set-up page with a message, nothing saved;
- who has a device (here ``secretariat``, ``superuser`` and, besides the world,
  ``plain``) makes new recovery codes, shown at once (``SHOWN``);
- only who has a device and need not have one (``plain``) turns it off;
- the code step of the login is for a password just typed: anyone else is sent
  to the login page, and a signed-in person home.
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.matrix import (
    D,
    E,
    H,
    L,
    N,
    O,
    Page,
    R,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    assert_rows_complete,
    request,
)
from tests.two_factor_support import give_device

# 200, the new recovery codes on the page: saved and shown, once.
SHOWN = "shown"


def manage(world):
    return reverse("two_factor:manage")


def enrol(world):
    return reverse("two_factor:enrol")


PAGES = {
    "two-factor page": Page("two_factor:manage"),
    "set up": Page("two_factor:enrol"),
    "set up, confirm without the secret": Page(
        "two_factor:enrol", method="post", data={"code": "123456"}, done=enrol
    ),
    "new recovery codes": Page("two_factor:recovery_codes", method="post"),
    "new recovery codes, read": Page("two_factor:recovery_codes"),
    "turn off": Page("two_factor:disable", method="post", done=manage),
    "turn off, read": Page("two_factor:disable"),
    "code step": Page("two_factor:verify"),
    "code step, send": Page(
        "two_factor:verify", method="post", data={"code": "123456"}
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
S = SHOWN
EXPECTED = {
    #                                      an  me  ot  re  pu  oc  co  se  pa  pl  su
    "two-factor page":                    (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "set up":                             (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "set up, confirm without the secret": (L,  E,  E,  E,  E,  E,  E,  E,  E,  E,  E),
    "new recovery codes":                 (L,  D,  D,  D,  D,  D,  D,  S,  D,  S,  S),
    "new recovery codes, read":           (L,  D,  D,  D,  D,  D,  D,  N,  D,  N,  N),
    "turn off":                           (L,  D,  D,  D,  D,  D,  D,  D,  D,  R,  D),
    "turn off, read":                     (L,  D,  D,  D,  D,  D,  D,  D,  D,  N,  D),
    "code step":                          (O,  H,  H,  H,  H,  H,  H,  H,  H,  H,  H),
    "code step, send":                    (O,  H,  H,  H,  H,  H,  H,  H,  H,  H,  H),
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, where the accounts that must have a device have one
    already (their logins would otherwise make it during the request under
    test), and ``plain`` chose to have one."""
    with django_db_blocker.unblock():
        for role in ("secretariat", "superuser", "plain"):
            give_device(world.people[role])
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            TOTPDevice.objects.order_by("pk").values_list(
                "pk", "user_id", "key", "confirmed", "last_t"
            )
        ),
        sorted(StaticToken.objects.values_list("device__user_id", "token")),
    )


def test_every_page_has_one_outcome_per_role():
    assert_rows_complete(PAGES, EXPECTED)


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page (the code step: to the
    login page, there being no password to confirm). Everyone signed in reads
    the page and may set up the second factor; who has one makes new recovery
    codes; who need not have one turns it off; a GET on an action is a 405."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    if expected == SHOWN:
        assert response.status_code == 200
        assert database_state() != before
        assert response.content.decode().count("<li><code>") == 10
        assert "no-cache" in response["Cache-Control"]
        return
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("set up, confirm without the secret", "member"),
        ("new recovery codes", "plain"),
        ("turn off", "plain"),
        ("code step, send", "anonymous"),
    ],
)
def test_every_post_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


@pytest.mark.parametrize("role", ["member", "secretariat", "plain"])
@pytest.mark.parametrize(
    "page", [name for name, page in PAGES.items() if page.method == "get"]
)
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 302, 403, 405}
    assert_no_inline_code(response)

"""The URL × role matrix of the « Aide » pages: see tests/matrix.py.

Help is not secret: every signed-in person reads the index and every role's
page, whatever their own roles (the index puts theirs first); a signed-out
visitor is sent to the login page, as on every page; a role that does not
exist is a 404.
"""

import pytest

from dashboard.help import ROLES as HELP_ROLES
from tests.matrix import (
    L,
    M,
    Page,
    Y,
    access_cases,
    assert_no_inline_code,
    assert_outcome,
    request,
)


def of_role(slug):
    return lambda world: {"role": slug}


PAGES = {
    "help": Page("help"),
    **{
        f"help of {role.slug}": Page("help_role", of_role(role.slug))
        for role in HELP_ROLES
    },
    "help of a role that does not exist": Page(
        "help_role", lambda w: {"role": "tresorier"}
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
SIGNED_IN = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
EXPECTED = {
    "help": SIGNED_IN,
    **{f"help of {role.slug}": SIGNED_IN for role in HELP_ROLES},
    "help of a role that does not exist": (L,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M),
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    """The help pages change nothing: the users' last login is all a request
    could touch, and it is set by ``force_login`` before."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Everyone signed in reads every role's help; signed out, the login page."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize("role", ["member", "secretariat"])
@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 404}
    assert_no_inline_code(response)

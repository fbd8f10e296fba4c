"""The URL × role matrix of the portal-wide search: see tests/matrix.py.

Every signed-in person searches (each kind of result within what they read:
tests/dashboard/test_search.py); signed-out visitors are sent to the login
page. A GET changes nothing.
"""

import pytest

from audit.models import AuditEvent
from tests.matrix import (
    L,
    Page,
    Y,
    access_cases,
    assert_no_inline_code,
    assert_outcome,
    request,
)

PAGES = {
    "search, empty": Page("search"),
    "search": Page("search", data={"q": "proposition"}),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EXPECTED = {
    #                  an  me  ot  re  pu  oc  co  se  pa  pl  su
    "search, empty":  (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "search":         (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    return AuditEvent.objects.count()


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; everyone signed in gets
    the search page."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize("role", ["member", "secretariat", "partner"])
@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code == 200
    assert_no_inline_code(response)

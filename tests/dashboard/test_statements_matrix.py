"""The URL × role matrix of the statements every page's footer links to (« Données
personnelles », « Déclaration d'accessibilité », « Mentions légales », « Plan
du site »): see tests/matrix.py.

They are public: everyone reads them, signed out included; the site map lists
what each person can open (tests/dashboard/test_statements.py). A POST is
refused (405): they are pages to read.
"""

import pytest

from tests.matrix import (
    N,
    Page,
    Y,
    access_cases,
    assert_no_inline_code,
    assert_outcome,
    request,
)

STATEMENTS = ("personal_data", "accessibility", "legal_notice", "site_map")

PAGES = {
    **{name: Page(name) for name in STATEMENTS},
    **{f"{name}, post": Page(name, method="post") for name in STATEMENTS},
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EVERYONE = (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
NOT_A_FORM = (N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N)
EXPECTED = {
    **dict.fromkeys(STATEMENTS, EVERYONE),
    **{f"{name}, post": NOT_A_FORM for name in STATEMENTS},
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    """The statements change nothing: the users' last login is all a request
    could touch, and it is set by ``force_login`` before."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Everyone reads the statements, signed in or not; nothing is posted."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize("role", ["anonymous", "member", "secretariat"])
@pytest.mark.parametrize("page", STATEMENTS)
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code == 200
    assert_no_inline_code(response)

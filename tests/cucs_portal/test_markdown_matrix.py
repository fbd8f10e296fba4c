"""The URL × role matrix of the Markdown fields' live preview: see
tests/matrix.py.

Every signed-in person may ask for a preview: whoever can write a long text
somewhere (a comment, a proposal, an answer to a review) sees it rendered as
the page will. It reads nothing and saves nothing; signed-out visitors are
sent to the login page, and a GET is a 405."""

import pytest

from audit.models import AuditEvent
from tests.matrix import (
    L,
    N,
    Page,
    Y,
    access_cases,
    assert_no_inline_code,
    assert_outcome,
    request,
)

PAGES = {
    "markdown preview": Page(
        "markdown_preview", method="post", data={"text": "**Gras** et *italique*"}
    ),
    "markdown preview, read": Page("markdown_preview"),
}

# fmt: off
EXPECTED = {
    #                           an  me  ot  re  pu  oc  co  se  pa  pl  su
    "markdown preview":        (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "markdown preview, read":  (L,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N),
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    """A preview saves nothing: no audit row, no change anywhere it could."""
    return AuditEvent.objects.count()


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Anyone signed in gets the preview; signed-out visitors are sent to the
    login page; a GET is a 405."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)
    if expected == Y:
        assert response.content.decode() == (
            "<p><strong>Gras</strong> et <em>italique</em></p>\n"
        )


@pytest.mark.parametrize("role", ["member", "partner"])
def test_the_preview_carries_the_security_headers(client, world, role):
    _url, response = request(client, world, role, PAGES["markdown preview"])

    assert response.status_code == 200
    assert_no_inline_code(response)

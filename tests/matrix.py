"""The pieces of the URL × role matrix (tests/test_urls.py), shared with the
matrices of the apps that came later (seminar, territorial declination,
capitalisation): each has its own ``PAGES`` and ``EXPECTED`` in its own
``test_url_matrix.py``, listed in ``MATRIX_MODULES``, and
``tests/test_urls.py::test_every_url_has_a_row_in_the_matrix`` checks that
together they cover every URL of the project.

An app's matrix module uses ``Page`` and the outcomes below, builds on the
shared ``world`` fixture (tests/world.py) with a module-scoped ``world`` of its
own, and calls ``assert_outcome`` with a function returning what its pages can
change in the database, so that "nothing saved" is checked, not assumed.

Its ``test_page_access`` takes its cases from ``access_cases``: every role of
every row, but a ``Missing`` row (an id that does not exist) once, and its CSRF
test from ``csrf_cases``: one POST per URL, since neither the lookup of a
missing id nor the CSRF check depends on who asks.
"""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import ROLES

# Every module holding a ``PAGES``/``EXPECTED`` pair of the matrix.
MATRIX_MODULES = (
    "tests.test_urls",
    "tests.seminaire.test_url_matrix",
    "tests.declinaison.test_url_matrix",
    "tests.capitalisation.test_url_matrix",
    "tests.ateliers.test_suggestions_matrix",
    "tests.referentiel.test_review_matrix",
    "tests.ateliers.test_exports_matrix",
    "tests.referentiel.test_formats_matrix",
    "tests.calendars.test_url_matrix",
    "tests.ateliers.test_attachments_matrix",
    "tests.capitalisation.test_photos_matrix",
    "tests.cucs_portal.test_notifications_matrix",
    "tests.cucs_portal.test_markdown_matrix",
    "tests.dashboard.test_search_matrix",
    "tests.dashboard.test_help_matrix",
    "tests.dashboard.test_statements_matrix",
    "tests.cucs_portal.test_two_factor_matrix",
    "tests.imports.test_url_matrix",
    "tests.people.test_personal_data_matrix",
)

__all__ = ["ROLES"]


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named ``to``; ``next`` carries the requested path."""

    to: str
    with_next: bool = True


@dataclass(frozen=True)
class Done:
    """A 302 to the page's ``done`` URL after a POST that saved something."""


@dataclass(frozen=True)
class Refused:
    """A 302 to the page's ``done`` URL with an error message; nothing saved."""


@dataclass(frozen=True)
class Informed:
    """A 302 to the page's ``done`` URL with a note saying why there is nothing
    to do here any more (the proposal was decided meanwhile); nothing saved."""


@dataclass(frozen=True)
class Kept:
    """A 302 to the page's ``done`` URL, no error: what was asked for already
    exists (a PDF of this content, a link already revoked); nothing saved."""


@dataclass(frozen=True)
class Downloaded:
    """The PDF (200, application/pdf, the rendition's bytes), counted once."""


@dataclass(frozen=True)
class Missing:
    """The row of an id that does not exist: a 404 whoever asks, the lookup
    (``get_object_or_404``) being the same for every role. It is asked once,
    as ``role``: the superuser by default, who passes every permission check
    and so reaches the lookup whatever the view checks first. What every other
    role gets from the URL is in its other rows (``test_every_page_has_one_
    outcome_per_role`` checks that there is one)."""

    role: str = "superuser"


@dataclass(frozen=True)
class Page:
    url_name: str
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    # A dict, or a function of the world returning one.
    data: dict | Callable = field(default_factory=dict)
    # Where a POST sends the person once done (a function of the world, called
    # after the request, so it may look up what the request created).
    done: Callable | None = None
    # Where a refused POST sends the person back, when not to ``done``.
    refused: Callable | None = None

    def post_data(self, world) -> dict:
        return self.data(world) if callable(self.data) else self.data


NO_SUCH_ID = 987654
# What the button of a confirmation page sends (cucs_portal.mixins.ConfirmMixin);
# a POST without it answers the confirmation page and does nothing.
CONFIRMED = {"confirmed": "1"}

Y, D, M, N = 200, 403, 404, 405  # the page, denied, missing, not a GET
# The form again with the typed text and an error, nothing saved (e.g. the
# proposal was submitted while this person was editing it).
C = 409
R = Done()  # saved, then sent to the page's ``done`` URL
E = Refused()  # sent back to the page's ``done`` URL with an error; nothing saved
L = Redirect("login")  # to the login page, then back
A = Redirect("admin:login")  # to the admin's login page, then back
O = Redirect("login", with_next=False)  # noqa: E741 (signed out: the login page)
H = Redirect("dashboard", with_next=False)  # home
W = Informed()  # no longer waiting for this person: back to ``done`` with a note
K = Kept()  # already there: back to ``done``, nothing saved
P = Downloaded()  # the PDF, its download counted
G = 410  # a share link revoked or expired: a page that says so


def url_names(resolver=None, namespace=""):
    """Every named URL of the project, with its namespace ("ateliers:detail")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            prefix = f"{namespace}{inner}:" if inner else namespace
            yield from url_names(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def request(client, world, role, page):
    user = world.people[role]
    if user.is_authenticated:
        client.force_login(user)
    url = reverse(page.url_name, kwargs=page.kwargs(world))
    data = page.post_data(world)
    response = getattr(client, page.method)(url, data)
    if page.method == "get" and data:
        url += "?" + urlencode(data, doseq=True)
    return url, response


def error_messages(response, level=messages.ERROR) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


def assert_outcome(response, url, world, page, expected, state, before):
    """What every matrix expects of a response other than a download: see the
    outcomes above. ``state`` returns what the pages can change; ``before`` is
    its value before the request."""
    if isinstance(expected, Kept):
        target = page.done(world)
        assert (response.status_code, response.url) == (302, target)
        assert error_messages(response) == []
        assert state() == before
        return
    if isinstance(expected, Done | Refused | Informed):
        back = page.refused if isinstance(expected, Refused) else None
        target = (back or page.done)(world)
        assert (response.status_code, response.url) == (302, target)
        if isinstance(expected, Done):
            assert error_messages(response) == []
            assert state() != before
        elif isinstance(expected, Refused):
            assert error_messages(response) != []
            assert state() == before
        else:
            assert error_messages(response, messages.INFO) != []
            assert state() == before
        return
    if isinstance(expected, Redirect):
        target = reverse(expected.to)
        if expected.with_next:
            target += "?" + urlencode({"next": url}, safe="/")
        assert (response.status_code, response.url) == (302, target)
    else:
        assert response.status_code == expected
    assert state() == before


def all_pages() -> dict:
    """``PAGES`` of every matrix module, by module."""
    import importlib

    return {name: importlib.import_module(name).PAGES for name in MATRIX_MODULES}


def assert_no_inline_code(response) -> None:
    """An HTML page carries the Content-Security-Policy and nothing it would
    block (inline script, event handler, style attribute): see
    tests/cucs_portal/test_security_headers.py, which does this for the pages
    of tests/test_urls.py; each app's matrix does it for its own pages."""
    from tests.cucs_portal.test_security_headers import inline_code, is_html

    assert "Content-Security-Policy" in response
    if is_html(response):
        assert inline_code(response.content.decode()) == []


def access_cases(expected: dict) -> list:
    """(page, role, outcome) of a matrix's ``test_page_access``: every role of
    every row, and a ``Missing`` row once, as its role."""
    import pytest

    cases = []
    for page, row in expected.items():
        if isinstance(row, Missing):
            cases.append(pytest.param(page, row.role, M, id=f"{page}-{row.role}"))
            continue
        cases += [
            pytest.param(page, role, outcome, id=f"{page}-{role}")
            for role, outcome in zip(ROLES, row, strict=True)
        ]
    return cases


def outcome(row, role: str):
    """What ``role`` gets from a row: a ``Missing`` row is a 404 for anyone
    signed in (it is asked once, as its role)."""
    return M if isinstance(row, Missing) else row[ROLES.index(role)]


def saving_role(row) -> str | None:
    """The first role (in ``ROLES`` order) for whom the row's POST saves."""
    if isinstance(row, Missing):
        return None
    return next(
        (role for role, got in zip(ROLES, row, strict=True) if isinstance(got, Done)),
        None,
    )


def csrf_cases(pages: dict, expected: dict) -> list:
    """(page, role) of a matrix's CSRF test: for each URL taking a POST that
    saves something, its first such row, sent by the first role it saves for.
    The CSRF check comes before the view and does not depend on the role; the
    role is one for whom the same POST with its token saves, so that the 403
    can only be the missing token's."""
    import pytest

    cases = {}
    for page, row in expected.items():
        role = saving_role(row)
        if pages[page].method == "post" and role and pages[page].url_name not in cases:
            cases[pages[page].url_name] = pytest.param(page, role, id=f"{page}-{role}")
    return list(cases.values())


def assert_rows_complete(pages: dict, expected: dict) -> None:
    """Each page of a matrix has its row, each row one outcome per role or a
    ``Missing``; a URL has at most one ``Missing`` row, and every role's
    outcome on it is in one of its other rows."""
    assert set(expected) == set(pages)
    rows = {page: row for page, row in expected.items() if not isinstance(row, Missing)}
    assert all(len(row) == len(ROLES) for row in rows.values())
    missing = [pages[page].url_name for page in expected if page not in rows]
    assert sorted(missing) == sorted(set(missing)), "one Missing row per URL"
    full = {pages[page].url_name for page in rows}
    assert set(missing) - full == set(), "a URL with a Missing row only"


def assert_csrf_refused(world, page, role, state) -> None:
    """``page`` sent by ``role`` without the form's CSRF token (as a forged page
    elsewhere would) is refused with 403, and ``state()`` does not change."""
    from django.test import Client

    before = state()

    _url, response = request(Client(enforce_csrf_checks=True), world, role, page)

    assert response.status_code == 403
    assert state() == before


@contextmanager
def one_render_per_document(*views_modules) -> Iterator[None]:
    """Within, the ``render_pdf`` of each of ``views_modules`` renders a given
    document (its HTML and options) once: when another role asks for the very
    same document, the view gets the first render's bytes, written where it
    reads them, and its result. Everything else runs for every role (the
    permission, the queries, the template, the response); a document that
    differs by one byte is rendered anew, and a render that fails is not kept.
    The render itself is tested where it is made (tests/referentiel/)."""
    renders = {}

    def once(render):
        def render_pdf(html, output, **options):
            key = (html, repr(sorted(options.items())))
            if key not in renders:
                result = render(html, output, **options)
                renders[key] = (output.read_bytes(), result)
            data, result = renders[key]
            output.write_bytes(data)
            return result

        return render_pdf

    with ExitStack() as stack:
        for module in views_modules:
            stack.enter_context(
                mock.patch.object(module, "render_pdf", once(module.render_pdf))
            )
        yield

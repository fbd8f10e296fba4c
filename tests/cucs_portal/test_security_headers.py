"""The security headers of every response, and pages that keep to the
Content-Security-Policy: no inline script (a ``<script>`` without src, an
``on…=`` attribute, a ``javascript:`` link) and no inline style (a ``style=``
attribute, a ``<style>`` element), on every page of the URL matrix
(tests/test_urls.py) as the secretariat sees it, and on the Django admin's
pages for a superuser."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests import test_urls
from tests.world import add_after_seminar_rows

pytestmark = pytest.mark.django_db

# The matrix's world: the shared one plus the référentiel's editions and links.
world = test_urls.world

# Script types a browser does not run (data islands such as json_script's).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}>"
        runs = (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES
        if tag == "script" and not attributes.get("src") and runs:
            self.found.append(f"{where} inline script")
        if tag == "style":
            self.found.append(f"{where} inline <style>")
        for name, value in attrs:
            javascript_url = (value or "").strip().lower().startswith("javascript:")
            if name == "style" or name.startswith("on") or javascript_url:
                self.found.append(f"{where} {name}={value!r}")


def inline_code(html: str) -> list[str]:
    """What in this page the Content-Security-Policy would block."""
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def policy(response) -> dict:
    directives = response["Content-Security-Policy"].split(";")
    return dict(d.strip().split(" ", 1) for d in directives if d.strip())


def assert_security_headers(response):
    assert policy(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def ours(url_name):
    return lambda w: reverse(url_name, kwargs={"pk": w.ours.pk})


REPRESENTATIVE = {
    "login page": ("anonymous", lambda w: reverse("login")),
    "dashboard": ("member", lambda w: reverse("dashboard")),
    "a form page": ("member", ours("ateliers:proposal_create")),
    "a refused page": ("partner", ours("ateliers:members")),
    "a missing page": ("member", lambda w: "/nulle-part/"),
    "the admin": ("superuser", lambda w: reverse("admin:index")),
    "the admin's login": ("anonymous", lambda w: reverse("admin:login")),
    "the health endpoint": ("anonymous", lambda w: reverse("health")),
}


@pytest.mark.parametrize("page", REPRESENTATIVE)
def test_responses_carry_the_security_headers(client, world, page):
    """Pages, errors, the admin and the health endpoint all send the CSP without
    'unsafe-inline' and the other security headers."""
    role, url = REPRESENTATIVE[page]
    if world.people[role].is_authenticated:
        client.force_login(world.people[role])

    response = client.get(url(world))

    # The admin's login hands over to the portal's (302).
    assert response.status_code in {200, 302, 403, 404}
    assert_security_headers(response)


GET_PAGES = [name for name, page in test_urls.PAGES.items() if page.method == "get"]


@pytest.mark.parametrize("page", GET_PAGES)
def test_no_page_of_the_portal_has_inline_code(client, world, page):
    """Every page of the URL matrix the secretariat can ask for (the page, or
    its 403, 404 or 410) has no inline script, event handler or style."""
    _url, response = test_urls.request(
        client, world, "secretariat", test_urls.PAGES[page]
    )

    if is_html(response):
        assert inline_code(response.content.decode()) == []
        assert "Content-Security-Policy" in response


def admin_pages():
    yield "index", lambda w: reverse("admin:index")
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        yield f"{meta.label} list", lambda w, p=prefix: reverse(f"{p}_changelist")
        yield f"{meta.label} add", lambda w, p=prefix: reverse(f"{p}_add")

        def change(w, model=model, p=prefix):
            obj = model._default_manager.order_by("pk").first()
            return reverse(f"{p}_change", args=[obj.pk]) if obj else None

        yield f"{meta.label} change", change


ADMIN_PAGES = dict(admin_pages())


@pytest.fixture(scope="module")
def admin_rows(world, django_db_blocker):
    """The seminar's, the declination's and capitalisation's models have a
    row each, so that their admin change pages are checked too."""
    with django_db_blocker.unblock():
        add_after_seminar_rows(world)
    return world


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_no_admin_page_has_inline_code(client, admin_rows, page):
    world = admin_rows
    """The secretariat's admin works under the same policy: its index, and each
    model's list, add and change pages, have no inline code."""
    client.force_login(world.people["superuser"])
    try:
        url = ADMIN_PAGES[page](world)
    except NoReverseMatch:  # an admin without that view
        pytest.skip("no such page in this admin")
    if url is None:
        pytest.skip("no row of this model in the world")

    response = client.get(url)

    assert response.status_code in {200, 403}
    assert inline_code(response.content.decode()) == []
    assert_security_headers(response)


def test_the_finder_sees_what_the_policy_blocks():
    """The scanner itself: it reports each kind of inline code, and lets
    scripts with a source and data islands through."""
    html = """
        <script src="/static/a.js"></script>
        <script type="application/json" id="d">{"a": 1}</script>
        <script>alert(1)</script>
        <p style="color: red" onclick="go()">x</p>
        <a href="javascript:go()">y</a>
        <style>p {}</style>
    """

    found = inline_code(html)

    assert len(found) == 5, found

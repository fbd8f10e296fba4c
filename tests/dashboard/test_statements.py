"""The statements of the footer (dashboard/statements.py): on every page, public,
filled in from the settings; the site map follows each person's permissions;
the accessibility statement shows the committed audit."""

import json
import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dashboard import statements
from tests import factories as f
from tests.dashboard.test_statements_matrix import STATEMENTS
from tests.test_query_counts import queries
from tests.world import ROLES

pytestmark = pytest.mark.django_db


def html_of(client, name, user=None):
    if user is not None and user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "member", "partner"])
@pytest.mark.parametrize("page", ["login", "dashboard", "site_map"])
def test_every_page_links_to_the_statements_in_its_footer(client, world, role, page):
    """The footer of every page, signed in or out, links to the four
    statements."""
    if role == "anonymous" and page == "dashboard":
        page = "password_reset"
    _response, html = html_of(client, page, world.people[role])

    footer = html[html.index('<footer class="portal-footer">') :]
    for name in STATEMENTS:
        assert f'href="{reverse(name)}"' in footer, name


def test_the_footer_marks_the_statement_being_read(client, world):
    _response, html = html_of(client, "legal_notice")

    footer = html[html.index('<footer class="portal-footer">') :]
    assert f'href="{reverse("legal_notice")}"\n' in footer or (
        f'<a href="{reverse("legal_notice")}"' in footer
    )
    assert footer.count('aria-current="page"') == 1


PUBLISHER = {
    "name": "AMO2SM",
    "legal_form": "association régie par la loi du 1er juillet 1901",
    "address": "10 rue de l'Exemple\n42000 Saint-Étienne",
    "registration": "W423000000",
    "email": "contact@amo2sm.example.org",
    "phone": "04 77 00 00 00",
    "director": "Mme Exemple, présidente",
    "data_email": "donnees@amo2sm.example.org",
    "accessibility_email": "accessibilite@amo2sm.example.org",
    "host_name": "Hébergeur Exemple SAS",
    "host_address": "1 avenue du Serveur, 69000 Lyon",
    "host_phone": "04 72 00 00 00",
    "host_website": "https://hebergeur.example.org",
}


def test_the_legal_notice_reads_the_publisher_and_host_from_the_settings(
    client, world, settings
):
    """Publisher, director of publication and host come from
    ``PORTAL_PUBLISHER``."""
    settings.PORTAL_PUBLISHER = PUBLISHER

    _response, html = html_of(client, "legal_notice")

    for key in ("registration", "host_name", "host_phone", "host_website"):
        assert PUBLISHER[key] in html, key
    assert "Mme Exemple, présidente" in html
    assert "42000 Saint-Étienne" in html
    assert 'href="mailto:contact@amo2sm.example.org"' in html


def test_a_detail_not_set_is_shown_as_not_provided(client, world, settings):
    """An empty detail (the host, by default) says so, rather than leaving a
    blank."""
    settings.PORTAL_PUBLISHER = {**PUBLISHER, "host_name": "", "phone": ""}

    _response, html = html_of(client, "legal_notice")

    assert html.count('class="not-provided"') == 2


def test_the_register_gives_the_contacts_for_data_and_accessibility(
    client, world, settings
):
    settings.PORTAL_PUBLISHER = PUBLISHER

    _response, register = html_of(client, "personal_data")
    _response, accessibility = html_of(client, "accessibility")

    assert 'href="mailto:donnees@amo2sm.example.org"' in register
    assert 'href="mailto:accessibilite@amo2sm.example.org"' in accessibility


def test_the_register_states_the_retention_of_seminar_guests(client, world, settings):
    """Seminar guests without an account are purged
    ``SEMINAR_GUEST_RETENTION_MONTHS`` months after their seminar: 12 by
    default."""
    if hasattr(settings, "SEMINAR_GUEST_RETENTION_MONTHS"):
        del settings.SEMINAR_GUEST_RETENTION_MONTHS
    response, _html = html_of(client, "personal_data")
    assert response.context["guest_retention_months"] == 12

    settings.SEMINAR_GUEST_RETENTION_MONTHS = 18
    response, html = html_of(client, "personal_data")
    assert response.context["guest_retention_months"] == 18
    assert " 18 " in html


def test_the_register_links_to_my_data_when_the_portal_has_it(
    client, world, monkeypatch
):
    """« Mes données » is linked where the portal has the page, and only
    then."""
    existing = statements.optional_url("people:my_data")
    response, html = html_of(client, "personal_data")
    assert response.context["my_data_url"] == existing
    if existing is None:
        assert "mes-donnees" not in html

    monkeypatch.setattr(statements, "optional_url", lambda name: "/compte/donnees/")
    _response, html = html_of(client, "personal_data")
    assert 'href="/compte/donnees/"' in html


def test_optional_url_is_none_for_a_page_that_does_not_exist():
    assert statements.optional_url("people:no_such_page") is None
    assert statements.optional_url("site_map") == reverse("site_map")


# --- The site map ---------------------------------------------------------------


def site_map_entries():
    return [
        entry
        for section in statements.SECTIONS
        for entry in section.entries
        if statements.optional_url(entry.url_name)
    ]


def shown_urls(response) -> list[str]:
    return [
        link.url for section in response.context["sections"] for link in section.links
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_site_map_lists_what_each_person_can_open(client, world, role):
    """For every role, each page the site map lists opens (200), and each page
    it leaves out is refused: the login page for a signed-out visitor, 403 or
    the login page of the admin for the others. The signed-out pages (login,
    forgotten password) are left out once signed in."""
    user = world.people[role]
    response, _html = html_of(client, "site_map", user)
    shown = shown_urls(response)
    assert len(shown) == len(set(shown))

    for entry in site_map_entries():
        url = reverse(entry.url_name)
        got = client.get(url).status_code
        if url in shown:
            assert got == 200, (entry.url_name, got)
        elif entry.signed_out_only:
            assert user.is_authenticated, entry.url_name
        else:
            assert got in {302, 403}, (entry.url_name, got)


def test_a_signed_out_visitor_sees_the_login_and_the_statements(client, world):
    response, _html = html_of(client, "site_map")

    assert shown_urls(response) == [
        reverse("login"),
        reverse("password_reset"),
        *(reverse(name) for name in STATEMENTS),
    ]


def test_the_site_map_shows_more_to_the_secretariat_than_to_a_partner(client, world):
    secretariat, _html = html_of(client, "site_map", world.people["secretariat"])
    client.logout()
    partner, _html = html_of(client, "site_map", world.people["partner"])

    assert set(shown_urls(partner)) < set(shown_urls(secretariat))
    assert reverse("audit:log") in shown_urls(secretariat)
    assert reverse("audit:log") not in shown_urls(partner)


def test_the_site_map_marks_itself_as_the_current_page(client, world):
    response, _html = html_of(client, "site_map", world.people["member"])

    current = [
        link.url
        for section in response.context["sections"]
        for link in section.links
        if link.current
    ]
    assert current == [reverse("site_map")]


def test_can_open_asks_the_view_not_a_list_of_roles(world):
    """A page marked ``login_not_required`` opens signed out; another wants a
    signed-in person and the permission its view requires."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    by_name = {entry.url_name: entry for entry in site_map_entries()}

    assert statements.can_open(request, by_name["site_map"]) is True
    assert statements.can_open(request, by_name["dashboard"]) is False
    request.user = world.people["partner"]
    assert statements.can_open(request, by_name["audit:log"]) is False
    request.user = world.people["secretariat"]
    assert statements.can_open(request, by_name["audit:log"]) is True
    assert statements.can_open(request, by_name["login"]) is False


# --- The accessibility audit ------------------------------------------------------


AUDIT = {
    "date": "2026-12-04",
    "axe_version": "4.10.2",
    "browser": "Chromium 131 (headless), 1280×800",
    "roles": ["anonyme", "membre"],
    "pages": [
        {
            "path": "/",
            "title": "Tableau de bord",
            "roles": ["membre"],
            "violations": [],
        },
        {
            "path": "/aide/",
            "title": "Aide",
            "roles": ["membre"],
            "violations": ["region"],
        },
    ],
    "violations": [
        {
            "rule": "region",
            "impact": "moderate",
            "help": "All page content should be contained by landmarks",
            "help_url": "https://dequeuniversity.com/rules/axe/4.10/region",
            "pages": ["/aide/"],
            "nodes": 3,
        }
    ],
}


def test_the_statement_renders_the_audit(client, world, tmp_path, monkeypatch):
    """Its date, the pages checked, and each rule not met with its pages and
    elements."""
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(AUDIT), encoding="utf-8")
    monkeypatch.setattr(statements, "AUDIT_FILE", path)

    response, html = html_of(client, "accessibility")

    audit = response.context["audit"]
    assert (audit.page_count, audit.pages_without_violation) == (2, 1)
    assert audit.blocking_rules == ()
    assert "4 décembre 2026" in html
    assert "<code>region</code>" in html
    assert '<span class="d-block" lang="en">All page content' in html
    assert "<code>/aide/</code>" in html


def test_without_an_audit_the_statement_says_none_was_made(
    client, world, tmp_path, monkeypatch
):
    monkeypatch.setattr(statements, "AUDIT_FILE", tmp_path / "none.json")

    response, _html = html_of(client, "accessibility")

    assert response.context["audit"] is None


def test_the_committed_audit_covers_every_demo_role_and_the_statements():
    """The JSON scripts/accessibility_audit.py wrote, and the statement reads:
    every role of the demo, signed out included, and the four statements."""
    audit = statements.accessibility_audit()

    assert audit is not None
    assert set(audit.roles) >= {"anonyme", "membre", "secretariat", "partenaire"}
    paths = {page["path"] for page in audit.pages}
    assert {reverse(name) for name in STATEMENTS} <= paths
    assert audit.blocking_rules == ()


# --- Query counts ------------------------------------------------------------------


def grow(people):
    """More ateliers, memberships and people: what the permissions of the site
    map could read row by row."""
    for _ in range(5):
        atelier = f.AtelierFactory()
        f.AtelierMembershipFactory(atelier=atelier, user=people["member"])
        f.AtelierMembershipFactory.create_batch(3, atelier=atelier)
    f.UserFactory.create_batch(10, landlord_staff=True)


@pytest.mark.parametrize("role", ["anonymous", "member", "secretariat", "partner"])
@pytest.mark.parametrize("name", STATEMENTS)
def test_statement_queries_do_not_grow(client, reference_data, name, role):
    """A statement reads the session and the person, and the site map asks each
    view's permission: neither grows with the ateliers, memberships or people
    (no query per entry of the map for the same rule). Signed out, none."""
    people = {
        "anonymous": AnonymousUser(),
        "member": f.AtelierMembershipFactory().user,
        "secretariat": f.UserFactory(secretariat=True),
        "partner": f.UserFactory(partner=True),
    }
    if role != "anonymous":
        client.force_login(people[role])
    url = reverse(name)
    queries(client, url)
    few = queries(client, url)

    grow(people)
    many = queries(client, url)

    assert len(many) == len(few)
    if role == "anonymous":
        assert few == []
    assert len(few) <= 12, few


def test_the_footer_states_the_same_conformity_as_the_statement(
    client, world, tmp_path, monkeypatch
):
    """The RGAA asks every page to state the conformity: « partiellement
    conforme » after the audit, « non conforme » without one, as the statement
    says."""
    _response, html = html_of(client, "login")
    with translation.override("fr"):
        partial = gettext("Accessibility: partially conformant")
        none = gettext("Accessibility: not conformant")
    assert partial in html

    monkeypatch.setattr(statements, "AUDIT_FILE", tmp_path / "none.json")
    response, html = html_of(client, "accessibility")
    assert response.context["conformity"] == statements.NOT_CONFORMANT
    assert none in html
    assert partial not in html


def test_the_audit_is_read_again_when_its_file_changes(tmp_path):
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(AUDIT), encoding="utf-8")
    assert statements.accessibility_audit(path).page_count == 2

    changed = {**AUDIT, "pages": AUDIT["pages"][:1]}
    path.write_text(json.dumps(changed), encoding="utf-8")
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1_000_000))

    assert statements.accessibility_audit(path).page_count == 1

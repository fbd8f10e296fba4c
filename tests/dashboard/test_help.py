"""The « Aide » pages: what they show to whom, and their screenshots, which
scripts/help_screenshots.py takes from the demo under the names the templates
reference."""

import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from dashboard.help import ROLES
from tests.factories import AtelierMembershipFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "dashboard" / "templates" / "dashboard" / "help"
IMAGES = ROOT / "static" / "img" / "help"
MAX_BYTES = 150 * 1024


def script():
    spec = importlib.util.spec_from_file_location(
        "help_screenshots", ROOT / "scripts" / "help_screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def referenced_images() -> dict[str, list[str]]:
    """Each help template's screenshots, by template name."""
    return {
        path.name: re.findall(r"img/help/([\w.-]+\.png)", path.read_text())
        for path in sorted(TEMPLATES.glob("*.html"))
    }


def test_the_script_takes_exactly_the_screenshots_the_templates_show():
    """A screenshot the script no longer takes, or one a template shows that
    the script does not take, fails here: the two lists cannot drift."""
    shown = [name for names in referenced_images().values() for name in names]
    taken = [shot.filename for shot in script().SHOTS]

    assert sorted(shown) == sorted(set(shown)), "a screenshot shown twice"
    assert sorted(taken) == sorted(set(taken)), "a screenshot taken twice"
    assert sorted(shown) == sorted(taken)


def test_every_screenshot_shown_is_in_static_and_small():
    for template, names in referenced_images().items():
        for name in names:
            path = IMAGES / name
            assert path.is_file(), f"{template}: {name} is not in static/img/help/"
            assert path.stat().st_size < MAX_BYTES, f"{name} weighs over 150 KB"


def test_every_role_has_its_page_with_numbered_steps_and_screenshots():
    images = referenced_images()
    for role in ROLES:
        assert f"{role.slug}.html" in images, role.slug
        assert images[f"{role.slug}.html"], f"{role.slug}: no screenshot"


class Figures(HTMLParser):
    """The help page's steps and their figures."""

    def __init__(self):
        super().__init__()
        self.steps = 0
        self.images = []  # (src, alt)
        self.captions = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "li" and "help-step" in classes:
            self.steps += 1
        if tag == "img" and "help-screenshot" in classes:
            self.images.append((attrs.get("src"), attrs.get("alt")))
        if tag == "figcaption":
            self.captions += 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role.slug for role in ROLES])
def test_each_step_has_a_screenshot_with_a_french_alt_and_a_caption(
    client, world, role
):
    client.force_login(world.people["plain"])

    response = client.get(reverse("help_role", kwargs={"role": role}))

    page = Figures()
    page.feed(response.content.decode())
    assert response.status_code == 200
    assert page.steps >= 4
    assert len(page.images) == page.steps == page.captions
    for src, alt in page.images:
        assert src.startswith("/static/img/help/")
        assert alt and alt.strip()


def my_roles(client, person) -> list[str]:
    client.force_login(person)
    response = client.get(reverse("help"))
    assert response.status_code == 200
    return [role.slug for role in response.context["my_roles"]]


@pytest.mark.django_db
def test_the_index_puts_the_person_s_own_roles_first(client, world):
    people = world.people
    assert my_roles(client, people["member"]) == ["membre"]
    assert my_roles(client, people["landlord_referent"]) == ["co-animateur"]
    assert my_roles(client, people["commission"]) == ["delegue"]
    assert my_roles(client, people["secretariat"]) == ["secretariat"]
    assert my_roles(client, people["partner"]) == ["partenaire"]
    assert my_roles(client, people["plain"]) == []


@pytest.mark.django_db
def test_the_index_lists_the_other_roles_after_the_person_s(client, world):
    client.force_login(world.people["member"])

    response = client.get(reverse("help"))

    others = [role.slug for role in response.context["other_roles"]]
    assert others == ["co-animateur", "delegue", "secretariat", "partenaire"]
    html = response.content.decode()
    assert html.index("/aide/membre/") < html.index("/aide/co-animateur/")


@pytest.mark.django_db
def test_the_index_reads_the_memberships_once(client, world, django_assert_num_queries):
    """The person's roles come from their memberships in one query, whatever
    their number: a second atelier adds none (guards against asking each
    membership its atelier). The other five are the session, the user and the
    header's (permissions and organisation)."""
    person = world.people["landlord_referent"]
    client.force_login(person)
    with django_assert_num_queries(6):
        client.get(reverse("help"))

    AtelierMembershipFactory(atelier=world.theirs, user=person)

    with django_assert_num_queries(6):
        response = client.get(reverse("help"))
    assert [role.slug for role in response.context["my_roles"]] == [
        "membre",
        "co-animateur",
    ]


@pytest.mark.django_db
def test_every_page_s_header_links_to_the_help(client, world):
    client.force_login(world.people["partner"])

    response = client.get(reverse("dashboard"))

    assert f'href="{reverse("help")}"' in response.content.decode()


def test_every_see_the_help_link_leads_to_a_step_that_exists():
    """The « Voir l'aide » of the empty states name a role and a step's
    anchor: each one is there (a step renamed breaks this, not the link)."""
    include = re.compile(
        r'{% include "includes/help_link.html" '
        r'with role="([\w-]+)" anchor="([\w-]+)" %}'
    )
    found = []
    for path in ROOT.glob("*/templates/**/*.html"):
        for role, anchor in include.findall(path.read_text()):
            template = (TEMPLATES / f"{role}.html").read_text()
            assert f'id="{anchor}"' in template, f"{path}: {role}#{anchor}"
            found.append(role)
    assert len(found) >= 9

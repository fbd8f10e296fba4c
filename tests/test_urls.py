"""Every page × every role: who gets the page, who is sent to the login, who is
refused. A URL added to the project without a row here fails
``test_every_url_has_a_row_in_the_matrix``.

Roles are those of tests/world.py, relative to atelier ``ours``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ateliers.models import Proposal
from tests.world import ROLES

S = Proposal.Status


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named ``to``; ``next`` carries the requested path."""

    to: str
    with_next: bool = True


@dataclass(frozen=True)
class Page:
    url_name: str
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: dict = field(default_factory=dict)


NO_SUCH_ID = 987654

PAGES = {
    "dashboard": Page("dashboard"),
    "axis": Page("axes:detail", lambda w: {"number": w.ours.axis.number}),
    "axis, missing": Page("axes:detail", lambda w: {"number": 99}),
    "atelier list": Page("ateliers:list"),
    "atelier": Page("ateliers:detail", lambda w: {"pk": w.ours.pk}),
    "atelier, missing": Page("ateliers:detail", lambda w: {"pk": NO_SUCH_ID}),
    **{
        f"{status} proposal": Page(
            "ateliers:proposal_detail",
            lambda w, status=status: {"pk": w.proposals[status].pk},
        )
        for status in S.values
    },
    "proposal, missing": Page("ateliers:proposal_detail", lambda w: {"pk": NO_SUCH_ID}),
    "login": Page("login"),
    "logout": Page("logout", method="post"),
    "password change": Page("password_change"),
    "password changed": Page("password_change_done"),
    "password reset": Page("password_reset"),
    "password reset sent": Page("password_reset_done"),
    "password reset, invalid link": Page(
        "password_reset_confirm", lambda w: {"uidb64": "MA", "token": "perime"}
    ),
    "password reset done": Page("password_reset_complete"),
    "language": Page("set_language", method="post", data={"language": "fr"}),
    "admin": Page("admin:index"),
}

Y, D, M = 200, 403, 404  # the page, denied, missing
L = Redirect("login")  # to the login page, then back
A = Redirect("admin:login")  # to the admin's login page, then back
O = Redirect("login", with_next=False)  # noqa: E741 (signed out: the login page)
H = Redirect("dashboard", with_next=False)  # home

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# commission, secretariat, partner, plain, superuser
EXPECTED = {
    #                                an  me  ot  re  pu  co  se  pa  pl  su
    "dashboard":                    (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "axis":                         (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "axis, missing":                (L,  M,  M,  M,  M,  M,  M,  M,  M,  M),
    "atelier list":                 (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "atelier":                      (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "atelier, missing":             (L,  M,  M,  M,  M,  M,  M,  M,  M,  M),
    "draft proposal":               (L,  Y,  D,  Y,  Y,  D,  Y,  D,  D,  Y),
    "submitted proposal":           (L,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "changes_requested proposal":   (L,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "validated proposal":           (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y),
    "rejected proposal":            (L,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "withdrawn proposal":           (L,  Y,  D,  Y,  Y,  D,  Y,  D,  D,  Y),
    "proposal, missing":            (L,  M,  M,  M,  M,  M,  M,  M,  M,  M),
    "login":                        (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "logout":                       (O,  O,  O,  O,  O,  O,  O,  O,  O,  O),
    "password change":              (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password changed":             (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset":               (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset sent":          (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset, invalid link": (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset done":          (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "language":                     (H,  H,  H,  H,  H,  H,  H,  H,  H,  H),
    "admin":                        (A,  A,  A,  A,  A,  A,  A,  A,  A,  Y),
}
# fmt: on

pytestmark = pytest.mark.django_db


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


def test_every_url_has_a_row_in_the_matrix():
    """A new page gets its row of expectations before it ships. The admin is
    Django's and guarded by is_staff; its index stands for it."""
    covered = {page.url_name for page in PAGES.values()}
    names = {name for name in url_names() if not name.startswith("admin:")}

    assert names - covered == set()
    assert covered - names - {"admin:index"} == set()


def test_every_page_has_one_outcome_per_role():
    """The matrix is complete: each page, each role."""
    assert set(EXPECTED) == set(PAGES)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def request(client, world, role, page):
    user = world.people[role]
    if user.is_authenticated:
        client.force_login(user)
    url = reverse(page.url_name, kwargs=page.kwargs(world))
    response = getattr(client, page.method)(url, page.data)
    return url, response


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        pytest.param(page, role, row[i], id=f"{page}-{role}")
        for page, row in EXPECTED.items()
        for i, role in enumerate(ROLES)
    ],
)
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page, with the page to come
    back to; signed-in people get the page, or 403 for a proposal they may not
    read, or 404 for an id that does not exist."""
    url, response = request(client, world, role, PAGES[page])

    if isinstance(expected, Redirect):
        target = reverse(expected.to)
        if expected.with_next:
            target += "?" + urlencode({"next": url}, safe="/")
        assert (response.status_code, response.url) == (302, target)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["other_member", "commission", "partner", "plain"])
def test_a_refused_proposal_page_reveals_nothing_of_it(client, world, role):
    """The 403 page for a draft does not show its title or summary."""
    draft = world.proposals[S.DRAFT]
    client.force_login(world.people[role])

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 403
    assert draft.title not in response.content.decode()


PAGES_WITH_PROPOSALS = {
    "dashboard": lambda w: reverse("dashboard"),
    "axis": lambda w: w.ours.axis.get_absolute_url(),
    "atelier": lambda w: w.ours.get_absolute_url(),
    "atelier list": lambda w: reverse("ateliers:list"),
}


@pytest.mark.parametrize("page", PAGES_WITH_PROPOSALS)
def test_partners_never_see_a_draft_title(client, world, page):
    """A draft is invisible to partners, wherever proposals are listed."""
    client.force_login(world.people["partner"])

    html = client.get(PAGES_WITH_PROPOSALS[page](world)).content.decode()

    for status in set(S.values) - {S.VALIDATED}:
        assert world.proposals[status].title not in html, status
        assert world.their_proposals[status].title not in html, status


@pytest.mark.parametrize("page", ["axis", "atelier"])
def test_partners_see_validated_titles(client, world, page):
    """The validated proposals are listed for partners."""
    client.force_login(world.people["partner"])

    html = client.get(PAGES_WITH_PROPOSALS[page](world)).content.decode()

    assert world.proposals[S.VALIDATED].title in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("partner", {S.VALIDATED: 2}),
        ("plain", {}),
        # Everything of their atelier; what went to the commission of the other.
        (
            "member",
            {
                S.DRAFT: 1,
                S.SUBMITTED: 2,
                S.CHANGES_REQUESTED: 2,
                S.VALIDATED: 2,
                S.REJECTED: 2,
                S.WITHDRAWN: 1,
            },
        ),
    ],
)
def test_the_dashboard_counts_only_readable_proposals(client, world, role, expected):
    """The counts per status on the dashboard are over what the person may read:
    a partner counts validated proposals only."""
    client.force_login(world.people[role])

    response = client.get(reverse("dashboard"))

    totals = {status: n for status, _label, n in response.context["status_totals"] if n}
    assert totals == expected


def test_the_atelier_page_lists_its_drafts_to_its_members(client, world):
    """A member reads the drafts of their own atelier in its list."""
    client.force_login(world.people["member"])

    response = client.get(world.ours.get_absolute_url())

    assert world.proposals[S.DRAFT] in response.context["proposals"]
    assert world.proposals[S.DRAFT].title in response.content.decode()


def test_pages_are_in_french(client, world):
    """The portal speaks French, even to a browser that asks for English."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.context["LANGUAGE_CODE"] == "fr"
    assert 'lang="fr"' in html
    assert "Mot de passe" in html


def test_signed_in_pages_are_in_french(client, world):
    """Signed-in pages are French too."""
    client.force_login(world.people["member"])

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-GB,en")

    assert 'lang="fr"' in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_the_language_switcher_is_an_explicit_choice(client, world):
    """Choosing English with the switcher gives English pages."""
    client.post(reverse("set_language"), {"language": "en"})

    response = client.get(reverse("login"))

    assert 'lang="en"' in response.content.decode()


def test_after_login_one_lands_on_the_page_asked_for(client, world):
    """The login form sends the person back to ``next``."""
    url = world.ours.get_absolute_url()

    response = client.post(
        reverse("login"),
        {"username": "membre", "password": "mot-de-passe-de-test", "next": url},
    )

    assert (response.status_code, response.url) == (302, url)

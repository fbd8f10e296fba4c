"""What a scanner, a broken link or a curious visitor puts in a URL never makes
a 500: every path parameter of every URL of the project, and every query
parameter the views read, filled with a NUL byte (PostgreSQL refuses it in a
query), ten thousand characters, non-ASCII text, numbers beyond a bigint, a
negative number and ``../``, answer a 404, a 400, a redirect or the normal
page, as a signed-out visitor and as the secretariat (the admin as a
superuser). GET only.

The URLs come from the resolver, like the matrix of tests/test_urls.py: a URL
added to the project is crawled without anyone writing a row here. The values
are sampled, not crossed: each parameter takes each value in turn, the others
keeping a harmless one, so the crawl stays a few thousand requests.
"""

import logging
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ateliers.models import Proposal
from seminaire.models import Event
from tests.world import add_after_seminar_rows

pytestmark = pytest.mark.django_db

HOSTILE = {
    "NUL": "\x00",
    "10 000 characters": "a" * 10_000,
    "non-ASCII": "« é ☃ 𝄞 »",
    "30 digits": "9" * 30,
    # The largest id a path takes (cucs_portal/converters.py): no such object.
    "largest id": "9" * 18,
    "negative": "-1",
    "parent folder": "../",
}
# What the other parameters of a URL hold while one is hostile.
HARMLESS = "1"


def routes(resolver=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, its parameters written ``{name}``."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + pattern_template(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '(unnamed)'}", route


def pattern_template(pattern) -> str:
    text = str(pattern)
    if text.startswith("^") or text.endswith("$"):  # a regex (the admin's)
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text.strip("^$"))
        return text.replace("\\", "")
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)


def parameters(route: str) -> list[str]:
    return re.findall(r"{(\w+)}", route)


def fill(route: str, values: dict) -> str:
    return "/" + route.format(**{k: quote(v, safe="/") for k, v in values.items()})


def hostile_paths(route: str):
    """Each parameter hostile in turn, the others harmless."""
    names = parameters(route)
    for label, value in HOSTILE.items():
        for name in names:
            others = dict.fromkeys(names, HARMLESS)
            yield f"{name}={label}", fill(route, {**others, name: value})


ROUTES = [(name, route) for name, route in routes() if parameters(route)]
PORTAL_ROUTES = [r for r in ROUTES if not r[0].startswith("admin:")]
ADMIN_ROUTES = [r for r in ROUTES if r[0].startswith("admin:")]

# Every query parameter a view reads (grep request.GET: the filter forms of
# the proposals, the library, the journal, the programming and the guests,
# the comparisons of versions and editions, pagination, the CSV's list, the
# login's next), and where it is read, with what the page's path needs.
QUERY_READERS = {
    "ateliers:proposal_list": (
        None,
        [
            "q",
            "axis",
            "atelier",
            "enjeu",
            "status",
            "territory",
            "organisation",
            "sort",
            "page",
        ],
    ),
    "ateliers:proposal_history": (
        lambda w: {"pk": w.proposals[Proposal.Status.VALIDATED].pk},
        ["old", "new"],
    ),
    "referentiel:compare": (None, ["old", "new"]),
    "capitalisation:library": (
        None,
        ["q", "axis", "territory", "organisation", "page"],
    ),
    "audit:log": (
        None,
        ["action", "organisation", "since", "until", "q", "page"],
    ),
    "audit:export": (None, ["action", "organisation", "since", "until", "q"]),
    "declinaison:programming": (
        None,
        [
            "territory",
            "axis",
            "status",
            "lead_organisation",
            "starts_after",
            "ends_before",
            "page",
        ],
    ),
    "declinaison:territory": (
        lambda w: {"slug": "gier"},
        ["axis", "status", "lead_organisation", "starts_after", "ends_before", "page"],
    ),
    "declinaison:territory_csv": (
        lambda w: {"slug": "gier"},
        ["axis", "status", "lead_organisation", "starts_after", "ends_before"],
    ),
    "seminaire:detail": (
        lambda w: {"pk": Event.objects.get().pk},
        ["category", "reply"],
    ),
    "seminaire:export": (lambda w: {"pk": Event.objects.get().pk}, ["list"]),
    "login": (None, ["next"]),
}
QUERY_PARAMETERS = sorted(
    {name for _, names in QUERY_READERS.values() for name in names}
)
# Pages without path parameters, each given every query parameter at once.
PLAIN_PAGES = [
    name
    for name, route in routes()
    if not parameters(route)
    and not name.startswith("admin:")
    and name not in {"(unnamed)", "logout", "set_language"}  # POST only
]


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, plus an event, a guest, a site action and a
    published sheet, so that their pages have something to show."""
    with django_db_blocker.unblock():
        add_after_seminar_rows(world)
    return world


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """A client per role, signed in once for the module."""
    signed_in = {}
    with django_db_blocker.unblock():
        for role in ("anonymous", "secretariat", "superuser"):
            signed_in[role] = Client()
            if role != "anonymous":
                signed_in[role].force_login(world.people[role])
    return signed_in


@pytest.fixture(autouse=True)
def quiet_not_found():
    """Thousands of "Not Found" warnings would only slow the crawl down; a
    server error is still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def server_errors(clients, roles, urls) -> list[str]:
    """The requests of ``urls`` (label → URL) that failed, for each role."""
    failures = []
    for role in roles:
        client = clients[role]
        for label, url in urls:
            try:
                status = client.get(url).status_code
            except Exception as exc:  # what a real server turns into a 500
                failures.append(f"{role} {label}: {type(exc).__name__}: {exc}"[:300])
                continue
            if status >= 500:
                failures.append(f"{role} {label}: {status}")
    return failures


@pytest.mark.parametrize(
    ("name", "route"), PORTAL_ROUTES, ids=[n for n, _ in PORTAL_ROUTES]
)
def test_hostile_path_values_never_make_a_server_error(clients, name, route):
    """Whatever fills a path parameter, the answer is below 500."""
    urls = list(hostile_paths(route))

    assert server_errors(clients, ["anonymous", "secretariat"], urls) == []


@pytest.mark.parametrize(
    ("name", "route"), ADMIN_ROUTES, ids=[n for n, _ in ADMIN_ROUTES]
)
def test_hostile_admin_path_values_never_make_a_server_error(clients, name, route):
    """The admin's object ids too, for a superuser (anyone else is sent to
    its login page before any lookup)."""
    urls = list(hostile_paths(route))

    assert server_errors(clients, ["superuser"], urls) == []


def hostile_queries(url: str, names: list[str]):
    for label, value in HOSTILE.items():
        for name in names:
            yield f"?{name}={label}", f"{url}?{urlencode({name: value})}"


@pytest.mark.parametrize("name", QUERY_READERS)
def test_hostile_query_values_never_make_a_server_error(world, clients, name):
    """Each query parameter a page reads, hostile in turn."""
    kwargs, names = QUERY_READERS[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)

    failures = server_errors(
        clients, ["anonymous", "secretariat"], hostile_queries(url, names)
    )

    assert failures == []


@pytest.mark.parametrize("name", PLAIN_PAGES)
def test_every_page_takes_hostile_query_strings(clients, name):
    """Every page without path parameters, given every query parameter the
    portal reads at once, and a repeated one."""
    url = reverse(name)
    urls = [
        (label, f"{url}?{urlencode(dict.fromkeys(QUERY_PARAMETERS, value))}")
        for label, value in HOSTILE.items()
    ]
    urls.append(("repeated page", f"{url}?page=1&page=%00&page=2"))

    assert server_errors(clients, ["anonymous", "secretariat"], urls) == []


def test_the_crawl_covers_the_readers_of_the_query():
    """Every page named in the table of query readers exists, and the crawl
    goes through every URL with a parameter."""
    names = {name for name, _route in routes()}
    assert set(QUERY_READERS) <= names
    assert len(PORTAL_ROUTES) > 50 and len(ADMIN_ROUTES) > 50

"""What people type is shown, never run: the Markdown fields, the comments, the
minutes, the differences and the titles, on the real pages.

Each text holds a <script>, an <img onerror> and a javascript: link; a page is
safe when it has no <script> running an alert, no on* attribute and no
javascript: URL (see workspace.script_injections).
"""

import pytest
from django.urls import reverse

from ateliers import services
from ateliers.models import Proposal, Session
from tests import factories as f

from .workspace import XSS_PAYLOADS, XSS_TEXT, form_data, script_injections

S = Proposal.Status
MARKDOWN_FIELDS = (
    "summary",
    "description",
    "actions",
    "timetable",
    "means",
    "indicators",
)
pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, world):
    client.force_login(world.people["member"])
    return client


@pytest.fixture
def hostile(world):
    """A draft whose every text field holds the payloads, saved twice so that
    its history has a difference to show."""
    proposal = services.proposal_create(
        atelier=world.ours,
        author=world.people["member"],
        data={
            "title": XSS_PAYLOADS[0] + " " + XSS_PAYLOADS[1],
            "enjeu": world.enjeux[world.ours.pk][0],
            "priority": Proposal.Priority.HIGH,
            **dict.fromkeys(MARKDOWN_FIELDS, "Premier jet"),
        },
    )
    return services.proposal_update(
        proposal=proposal,
        editor=world.people["member"],
        data=dict.fromkeys(MARKDOWN_FIELDS, XSS_TEXT),
        base_version=1,
    )


def test_the_detector_finds_each_kind_of_injection():
    """The check used below does see a script, an event handler and a
    javascript: link when they are really in the HTML."""
    html = (
        "<p><script>alert(1)</script><img src=x onerror=alert(1)>"
        '<a href=" JavaScript:alert(1)">x</a></p>'
    )

    assert len(script_injections(html)) == 3
    assert script_injections("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == []


def test_the_proposal_page_runs_nothing_typed(member_client, hostile):
    """Every Markdown field renders as text and safe links; the words around
    the payloads are still shown."""
    html = member_client.get(hostile.get_absolute_url()).content.decode()

    assert script_injections(html) == []
    assert "Avant" in html and "Après" in html
    assert "&lt;script&gt;" in html  # the title, escaped


def test_a_markdown_link_keeps_only_safe_schemes(member_client, world):
    """An http link stays a link; a javascript: one loses its href."""
    proposal = f.ProposalFactory(
        atelier=world.ours,
        enjeu=world.enjeux[world.ours.pk][0],
        description="[le site](https://example.org) et [x](javascript:alert(1))",
    )

    html = member_client.get(proposal.get_absolute_url()).content.decode()

    assert 'href="https://example.org"' in html
    assert script_injections(html) == []


def test_a_comment_runs_nothing(member_client, hostile):
    """A comment posted with the payloads is shown as text on the proposal."""
    response = member_client.post(
        reverse("ateliers:proposal_comment", kwargs={"pk": hostile.pk}),
        {"body": XSS_TEXT},
        follow=True,
    )

    html = response.content.decode()
    assert response.context["comments"][0].body == XSS_TEXT
    assert script_injections(html) == []
    assert "Avant" in html and "Après" in html


def test_a_refused_comment_shown_again_runs_nothing(member_client, hostile):
    """The 400 page with a too-long hostile comment in its form is safe."""
    response = member_client.post(
        reverse("ateliers:proposal_comment", kwargs={"pk": hostile.pk}),
        {"body": XSS_TEXT * 200},
    )

    assert response.status_code == 400
    assert script_injections(response.content.decode()) == []


def test_the_history_runs_nothing(member_client, hostile):
    """The differences show the payloads escaped, before and after."""
    response = member_client.get(
        reverse("ateliers:proposal_history", kwargs={"pk": hostile.pk})
    )

    html = response.content.decode()
    assert [c.name for c in response.context["changes"]] == list(MARKDOWN_FIELDS)
    assert script_injections(html) == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_edit_form_and_its_conflict_page_run_nothing(member_client, hostile):
    """The form shows the hostile text in its fields, escaped, and so does the
    409 page with the other person's changes."""
    form_page = member_client.get(
        reverse("ateliers:proposal_update", kwargs={"pk": hostile.pk})
    )
    data = {**form_data(form_page.context["form"]), "base_version": 1}

    conflict = member_client.post(
        reverse("ateliers:proposal_update", kwargs={"pk": hostile.pk}), data
    )

    assert script_injections(form_page.content.decode()) == []
    assert conflict.status_code == 409
    assert script_injections(conflict.content.decode()) == []


@pytest.mark.parametrize(
    "page", ["proposal_list", "atelier", "dashboard", "axis", "atelier_list"]
)
def test_lists_run_nothing(member_client, hostile, world, page):
    """Titles are escaped wherever proposals are listed."""
    url = {
        "proposal_list": reverse("ateliers:proposal_list"),
        "atelier": world.ours.get_absolute_url(),
        "dashboard": reverse("dashboard"),
        "axis": world.ours.axis.get_absolute_url(),
        "atelier_list": reverse("ateliers:list"),
    }[page]

    html = member_client.get(url).content.decode()

    assert script_injections(html) == []


def test_sessions_and_enjeux_run_nothing(client, world):
    """Agenda and minutes of a session, and an enjeu's title and description,
    are shown safely on the atelier, enjeux and session pages."""
    session = Session.objects.get(atelier=world.ours)
    Session.objects.filter(pk=session.pk).update(agenda=XSS_TEXT, minutes=XSS_TEXT)
    f.EnjeuFactory(
        axis=world.ours.axis, position=3, title=XSS_PAYLOADS[0], description=XSS_TEXT
    )
    client.force_login(world.people["landlord_referent"])
    kwargs = {"pk": world.ours.pk, "session_pk": session.pk}

    for url in (
        world.ours.get_absolute_url(),
        world.ours.axis.get_absolute_url(),
        reverse("ateliers:enjeux", kwargs={"pk": world.ours.pk}),
        reverse("ateliers:session_update", kwargs=kwargs),
        reverse("ateliers:session_record", kwargs=kwargs),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert script_injections(response.content.decode()) == [], url

"""The URL × role matrix of suggested changes: see tests/matrix.py.

Besides the world, the commission delegate has suggested a change to the
summary of ``ours``'s submitted proposal and to that of its proposal sent back
(``changes_requested``), and one already declined; the other atelier's
submitted proposal has a suggestion too, whose id is asked on ``ours``'s
proposals (a 404 for everyone: no id leaks from one proposal to another). Who
does what (ateliers/rules.py):

- a commission delegate, or a co-animator of the proposal's atelier, suggests
  a change while the proposal is submitted or sent back, and not otherwise;
- the proposal's atelier (volunteers and co-animators) accepts a suggestion
  while it may edit the proposal (sent back, not while submitted), and
  declines one whatever the proposal's status, saying why.

A superuser holds every permission (Django's ModelBackend): the services still
refuse what the state forbids (accepting while submitted: back with an error;
suggesting on a validated proposal: the form again, 409, the text kept).
"""

import pytest
from django.urls import reverse

from ateliers.models import Proposal, ProposalRevision, ProposalSuggestion
from audit.models import AuditEvent
from tests.matrix import (
    NO_SUCH_ID,
    C,
    D,
    E,
    L,
    M,
    Missing,
    N,
    Page,
    R,
    W,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)

S = Proposal.Status


def on(status):
    return lambda world: {"pk": world.proposals[status].pk}


def on_suggestion(name, proposal=None):
    def kwargs(world):
        suggestion = world.suggestions[name]
        return {
            "pk": world.proposals[proposal].pk if proposal else suggestion.proposal_id,
            "suggestion_pk": suggestion.pk,
        }

    return kwargs


def suggestions_part(status):
    return lambda world: world.proposals[status].get_absolute_url() + "#suggestions"


def newest_suggestion(world):
    return ProposalSuggestion.objects.latest("pk").get_absolute_url()


def suggestion_form(status, **changes):
    def data(world):
        proposal = world.proposals[status]
        return {
            "field": "summary",
            "base_version": proposal.version,
            "text": "Un résumé plus précis, réécrit par la commission.",
            "comment": "Le résumé doit dire qui finance.",
            **changes,
        }

    return data


PAGES = {
    **{
        f"{status} proposal, suggest": Page(
            "ateliers:suggestion_create", on(status), data={"champ": "summary"}
        )
        for status in S.values
    },
    "suggest, choose nothing yet": Page("ateliers:suggestion_create", on(S.SUBMITTED)),
    "suggest, a text that is not offered": Page(
        "ateliers:suggestion_create", on(S.SUBMITTED), data={"champ": "status"}
    ),
    "submitted proposal, suggest, save": Page(
        "ateliers:suggestion_create",
        on(S.SUBMITTED),
        method="post",
        data=suggestion_form(S.SUBMITTED),
        done=newest_suggestion,
    ),
    "changes_requested proposal, suggest, save": Page(
        "ateliers:suggestion_create",
        on(S.CHANGES_REQUESTED),
        method="post",
        data=suggestion_form(S.CHANGES_REQUESTED),
        done=newest_suggestion,
    ),
    # Validated while the person typed: the form again with the text (409).
    "validated proposal, suggest, save": Page(
        "ateliers:suggestion_create",
        on(S.VALIDATED),
        method="post",
        data=suggestion_form(S.VALIDATED),
    ),
    "draft proposal, suggest, save": Page(
        "ateliers:suggestion_create",
        on(S.DRAFT),
        method="post",
        data=suggestion_form(S.DRAFT),
    ),
    "suggest, without a comment": Page(
        "ateliers:suggestion_create",
        on(S.SUBMITTED),
        method="post",
        data=suggestion_form(S.SUBMITTED, comment=" "),
    ),
    "suggest, a field that is not offered": Page(
        "ateliers:suggestion_create",
        on(S.SUBMITTED),
        method="post",
        data=suggestion_form(S.SUBMITTED, field="status"),
    ),
    "suggest, missing proposal": Page(
        "ateliers:suggestion_create", lambda w: {"pk": NO_SUCH_ID}
    ),
    "sent back, accept": Page(
        "ateliers:suggestion_accept",
        on_suggestion("sent back"),
        method="post",
        done=suggestions_part(S.CHANGES_REQUESTED),
    ),
    "submitted, accept": Page(
        "ateliers:suggestion_accept",
        on_suggestion("submitted"),
        method="post",
        done=suggestions_part(S.SUBMITTED),
    ),
    "accept, read": Page("ateliers:suggestion_accept", on_suggestion("sent back")),
    "accept, a suggestion of another proposal": Page(
        "ateliers:suggestion_accept",
        on_suggestion("theirs", proposal=S.CHANGES_REQUESTED),
        method="post",
    ),
    "accept, missing": Page(
        "ateliers:suggestion_accept",
        lambda w: {
            "pk": w.proposals[S.CHANGES_REQUESTED].pk,
            "suggestion_pk": NO_SUCH_ID,
        },
        method="post",
    ),
    "submitted, decline": Page(
        "ateliers:suggestion_decline", on_suggestion("submitted")
    ),
    "submitted, decline, save": Page(
        "ateliers:suggestion_decline",
        on_suggestion("submitted"),
        method="post",
        data={"reason": "Le financement est déjà décrit dans les moyens."},
        done=suggestions_part(S.SUBMITTED),
    ),
    "decline, without a reason": Page(
        "ateliers:suggestion_decline",
        on_suggestion("submitted"),
        method="post",
        data={"reason": "  "},
    ),
    "declined, decline": Page(
        "ateliers:suggestion_decline",
        on_suggestion("declined"),
        done=suggestions_part(S.SUBMITTED),
    ),
    "declined, decline, save": Page(
        "ateliers:suggestion_decline",
        on_suggestion("declined"),
        method="post",
        data={"reason": "Encore non."},
        done=suggestions_part(S.SUBMITTED),
    ),
    "decline, a suggestion of another proposal": Page(
        "ateliers:suggestion_decline", on_suggestion("theirs", proposal=S.SUBMITTED)
    ),
    "decline, missing": Page(
        "ateliers:suggestion_decline",
        lambda w: {"pk": w.proposals[S.SUBMITTED].pk, "suggestion_pk": NO_SUCH_ID},
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
SUGGEST = (L,  D,  D,  Y,  Y,  D,  Y,  D,  D,  D,  Y)
SUGGEST_SAVES = (L,  D,  D,  R,  R,  D,  R,  D,  D,  D,  R)
SUGGEST_INVALID = (L,  D,  D,  400, 400, D,  400, D,  D,  D,  400)
NOBODY_BUT_SUPERUSER = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y)
ATELIER = (L,  Y,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y)
ATELIER_SAVES = (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R)
MISSING = Missing()
# The id of a suggestion of another proposal: 404 for everyone signed in.
ELSEWHERE = (L,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
# Validated while they typed: the delegate and the co-animators could have
# suggested a minute ago (409, the text kept).
TOO_LATE = (L,  D,  D,  C,  C,  D,  C,  D,  D,  D,  C)
# A draft is the atelier's own: nobody outside it read it to suggest.
DRAFT_TOO_SOON = (L,  D,  D,  C,  C,  D,  D,  D,  D,  D,  C)
SUPERUSER_REFUSED = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E)
ACCEPT_READ = (L,  N,  D,  N,  N,  D,  D,  D,  D,  D,  N)
DECLINE_INVALID = (L,  400, D,  400, 400, D,  D,  D,  D,  D,  400)
ALREADY_DECIDED = (L,  W,  D,  W,  W,  D,  D,  D,  D,  D,  W)
ALREADY_DECIDED_SAVE = (L,  E,  D,  E,  E,  D,  D,  D,  D,  D,  E)
EXPECTED = {
    "draft proposal, suggest": NOBODY_BUT_SUPERUSER,
    "submitted proposal, suggest": SUGGEST,
    "changes_requested proposal, suggest": SUGGEST,
    "validated proposal, suggest": NOBODY_BUT_SUPERUSER,
    "rejected proposal, suggest": NOBODY_BUT_SUPERUSER,
    "withdrawn proposal, suggest": NOBODY_BUT_SUPERUSER,
    "suggest, choose nothing yet": SUGGEST,
    "suggest, a text that is not offered": SUGGEST_INVALID,
    "submitted proposal, suggest, save": SUGGEST_SAVES,
    "changes_requested proposal, suggest, save": SUGGEST_SAVES,
    "validated proposal, suggest, save": TOO_LATE,
    "draft proposal, suggest, save": DRAFT_TOO_SOON,
    "suggest, without a comment": SUGGEST_INVALID,
    "suggest, a field that is not offered": SUGGEST_INVALID,
    "suggest, missing proposal": MISSING,
    "sent back, accept": ATELIER_SAVES,
    # While with the commission: refused to the atelier, and by the service.
    "submitted, accept": SUPERUSER_REFUSED,
    "accept, read": ACCEPT_READ,
    "accept, a suggestion of another proposal": ELSEWHERE,
    "accept, missing": MISSING,
    "submitted, decline": ATELIER,
    "submitted, decline, save": ATELIER_SAVES,
    "decline, without a reason": DECLINE_INVALID,
    "declined, decline": ALREADY_DECIDED,
    "declined, decline, save": ALREADY_DECIDED_SAVE,
    "decline, a suggestion of another proposal": ELSEWHERE,
    "decline, missing": MISSING,
}
# fmt: on

pytestmark = pytest.mark.django_db


def _suggestion(proposal, author, **fields):
    return ProposalSuggestion.objects.create(
        proposal=proposal,
        field="summary",
        base_version=proposal.version,
        base_text=proposal.summary,
        text=f"{proposal.summary} Avec la commune.",
        comment="La commune cofinance.",
        author=author,
        **fields,
    )


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world plus the delegate's suggestions (see the docstring)."""
    from django.utils import timezone

    delegate = world.people["commission"]
    with django_db_blocker.unblock():
        world.suggestions = {
            "submitted": _suggestion(world.proposals[S.SUBMITTED], delegate),
            "sent back": _suggestion(world.proposals[S.CHANGES_REQUESTED], delegate),
            "declined": _suggestion(
                world.proposals[S.SUBMITTED],
                delegate,
                status=ProposalSuggestion.Status.DECLINED,
                decided_by=world.people["member"],
                decided_at=timezone.now(),
                decline_reason="Déjà dit ailleurs.",
            ),
            "theirs": _suggestion(world.their_proposals[S.SUBMITTED], delegate),
        }
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            ProposalSuggestion.objects.order_by("pk").values_list(
                "pk", "status", "decline_reason", "resulting_version", "text"
            )
        ),
        list(Proposal.objects.order_by("pk").values_list("pk", "version", "summary")),
        ProposalRevision.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_page_has_its_row():
    from tests.matrix import assert_rows_complete

    assert_rows_complete(PAGES, EXPECTED)


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; signed-in people get the
    page, or 403 for what they may not read or do, 404 for a suggestion that
    does not exist or belongs to another proposal, 405 for a GET on an action.
    An allowed POST saves and redirects; a POST the service refuses redirects
    with an error and saves nothing; a form with errors saves nothing (400); a
    suggestion on a proposal no longer open to them gets 409 with the text
    kept."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    """Each URL of this matrix whose POST saves, sent by a role it saves for
    without the form's CSRF token, is refused with 403 and saves nothing."""
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [name for name, page in PAGES.items() if page.method == "get"]


@pytest.mark.parametrize("role", ["commission", "member"])
@pytest.mark.parametrize("page", GET_PAGES)
def test_no_page_has_inline_code(client, world, page, role):
    """Every GET page of this matrix (or its 403 or 404), as the delegate and
    as a volunteer see it, keeps to the Content-Security-Policy."""
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 302, 400, 403, 404, 405}
    assert_no_inline_code(response)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHANGES_REQUESTED, S.VALIDATED])
def test_the_proposal_page_keeps_to_the_csp_with_suggestions(client, world, status):
    """The proposal's page with its suggestions shown has no inline code."""
    client.force_login(world.people["member"])

    response = client.get(reverse("ateliers:proposal_detail", kwargs=on(status)(world)))

    assert response.status_code == 200
    assert_no_inline_code(response)

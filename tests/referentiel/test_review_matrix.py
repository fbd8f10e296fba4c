"""The URL × role matrix of the review of a draft edition: see tests/matrix.py.

Four drafts, one per state of their review:

- ``none``: no review was opened;
- ``open``: a review open for a week, to the commission and two partners, the
  world's ``partner`` and ``invitee`` (a partner of this module's world);
  comments of the commission (open), of ``partner`` (open) and of ``invitee``
  (resolved, answered);
- ``closed``: a review closed early, to the same partners, with a comment of
  ``partner``;
- ``elsewhere``: a review open to ``invitee`` only: for it, the world's
  ``partner`` is a partner who was not invited.

Who does what (referentiel/rules.py): a partner named in a review of a draft
reads that draft and its preview, and their own comments; the commission and
the secretariat read every comment; the commission and the invited partners
comment while the review is open; the secretariat opens and closes reviews,
answers, resolves and reopens comments. A superuser holds every permission
(Django's ModelBackend): the services still refuse what the state forbids.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from referentiel import services
from referentiel.models import Edition, Review, ReviewAnswer, ReviewComment
from tests import factories as f
from tests.matrix import (
    CONFIRMED,
    NO_SUCH_ID,
    D,
    L,
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

M = 404
B = 400  # the form again, the error next to the field, the text kept


def edition(name):
    return lambda world: {"pk": world.review_editions[name].pk}


def edition_page(name, anchor=""):
    return lambda world: world.review_editions[name].get_absolute_url() + anchor


def on_comment(name):
    return lambda world: {"pk": world.review_comments[name].pk}


def comment_page(name):
    return lambda world: world.review_comments[name].get_absolute_url()


def on_review(name):
    return lambda world: {"pk": world.reviews[name].pk}


def newest_comment(world):
    return ReviewComment.objects.latest("pk").get_absolute_url()


def in_a_week():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def validated_anchor(world):
    return f"proposition-{world.proposals['validated'].pk}"


MISSING = {"pk": NO_SUCH_ID}
STATES = ("none", "open", "closed", "elsewhere")

PAGES = {
    **{f"{s} review, edition": Page("referentiel:detail", edition(s)) for s in STATES},
    **{f"{s} review, preview": Page("referentiel:preview", edition(s)) for s in STATES},
    **{
        f"{s} review, comments": Page("referentiel:comments", edition(s))
        for s in STATES
    },
    "comments, missing": Page("referentiel:comments", lambda w: MISSING),
    **{
        f"{s} review, comment form": Page(
            "referentiel:comment_create", edition(s), data={"section": "axe-1"}
        )
        for s in STATES
    },
    "open review, comment": Page(
        "referentiel:comment_create",
        edition("open"),
        method="post",
        data=lambda w: {"section": validated_anchor(w), "body": "À reformuler."},
        done=newest_comment,
    ),
    "open review, comment on a forged part": Page(
        "referentiel:comment_create",
        edition("open"),
        method="post",
        data={"section": f"proposition-{NO_SUCH_ID}", "body": "Texte gardé."},
    ),
    "open review, empty comment": Page(
        "referentiel:comment_create",
        edition("open"),
        method="post",
        data={"section": "introduction", "body": "  "},
    ),
    "closed review, comment": Page(
        "referentiel:comment_create",
        edition("closed"),
        method="post",
        data={"section": "introduction", "body": "Trop tard."},
    ),
    "elsewhere review, comment": Page(
        "referentiel:comment_create",
        edition("elsewhere"),
        method="post",
        data={"section": "introduction", "body": "Pas invité."},
        done=newest_comment,
    ),
    "comment form, missing": Page("referentiel:comment_create", lambda w: MISSING),
    "none review, open form": Page("referentiel:review_open", edition("none")),
    "none review, open": Page(
        "referentiel:review_open",
        edition("none"),
        method="post",
        data=lambda w: {"closes_on": in_a_week(), "partners": [w.people["partner"].pk]},
        done=edition_page("none", "#review"),
    ),
    "none review, open until yesterday": Page(
        "referentiel:review_open",
        edition("none"),
        method="post",
        data={"closes_on": "2007-04-01"},
    ),
    "open review, open another": Page(
        "referentiel:review_open",
        edition("open"),
        method="post",
        data={"closes_on": in_a_week()},
    ),
    "review open, missing": Page("referentiel:review_open", lambda w: MISSING),
    "open review, close": Page(
        "referentiel:review_close",
        on_review("open"),
        method="post",
        data=CONFIRMED,
        done=edition_page("open", "#review"),
    ),
    "open review, close unconfirmed": Page(
        "referentiel:review_close", on_review("open"), method="post"
    ),
    "closed review, close": Page(
        "referentiel:review_close",
        on_review("closed"),
        method="post",
        data=CONFIRMED,
        done=edition_page("closed", "#review"),
    ),
    "review close, read": Page("referentiel:review_close", on_review("open")),
    "review close, missing": Page(
        "referentiel:review_close", lambda w: MISSING, method="post"
    ),
    "comment, answer": Page(
        "referentiel:comment_answer",
        on_comment("partner"),
        method="post",
        data={"body": "Nous reprenons la formulation."},
        done=comment_page("partner"),
    ),
    "comment, empty answer": Page(
        "referentiel:comment_answer",
        on_comment("partner"),
        method="post",
        data={"body": ""},
    ),
    "comment answer, read": Page("referentiel:comment_answer", on_comment("partner")),
    "comment answer, missing": Page(
        "referentiel:comment_answer", lambda w: MISSING, method="post"
    ),
    "open comment, resolve": Page(
        "referentiel:comment_resolve",
        on_comment("partner"),
        method="post",
        done=comment_page("partner"),
    ),
    "resolved comment, resolve": Page(
        "referentiel:comment_resolve",
        on_comment("invitee"),
        method="post",
        done=comment_page("invitee"),
    ),
    "comment resolve, read": Page("referentiel:comment_resolve", on_comment("partner")),
    "comment resolve, missing": Page(
        "referentiel:comment_resolve", lambda w: MISSING, method="post"
    ),
    "resolved comment, reopen": Page(
        "referentiel:comment_reopen",
        on_comment("invitee"),
        method="post",
        done=comment_page("invitee"),
    ),
    "open comment, reopen": Page(
        "referentiel:comment_reopen",
        on_comment("partner"),
        method="post",
        done=comment_page("partner"),
    ),
    "comment reopen, read": Page("referentiel:comment_reopen", on_comment("partner")),
    "comment reopen, missing": Page(
        "referentiel:comment_reopen", lambda w: MISSING, method="post"
    ),
    # The publish flow with two comments open (referentiel:publish is in
    # tests/test_urls.py too, for a draft without review).
    "open review, publish page": Page("referentiel:publish", edition("open")),
    "open review, publish unconfirmed": Page(
        "referentiel:publish",
        edition("open"),
        method="post",
        data={"open_comments": "2", **CONFIRMED},
    ),
    "open review, publish confirmed": Page(
        "referentiel:publish",
        edition("open"),
        method="post",
        data={"open_comments": "2", "confirm": "on", **CONFIRMED},
        done=edition_page("open"),
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EVERYONE = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
# The working group reads every draft; a partner only those they review.
READ_DRAFT = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y)
ALL_COMMENTS = (L,  D,  D,  D,  D,  D,  Y,  Y,  D,  D,  Y)
OWN_COMMENTS = (L,  D,  D,  D,  D,  D,  Y,  Y,  Y,  D,  Y)
SECRETARIAT = (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
SECRETARIAT_SAVES = (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R)
SECRETARIAT_400 = (L,  D,  D,  D,  D,  D,  D,  B,  D,  D,  B)
SECRETARIAT_INFORMED = (L,  D,  D,  D,  D,  D,  D,  W,  D,  D,  W)
SECRETARIAT_POST_ONLY = (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N)
# The commission and the invited partner; the secretariat answers, it does not
# comment.
REVIEWERS = (L,  D,  D,  D,  D,  D,  Y,  D,  Y,  D,  Y)
REVIEWERS_SAVE = (L,  D,  D,  D,  D,  D,  R,  D,  R,  D,  R)
REVIEWERS_400 = (L,  D,  D,  D,  D,  D,  B,  D,  B,  D,  B)
MISSING_ROW = Missing()
EXPECTED = {
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "none review, edition":         READ_DRAFT,
    "open review, edition":         EVERYONE,
    # Once the review is closed, the partner it named no longer reads the
    # draft (which goes on changing); their comments stay theirs to read.
    "closed review, edition":       READ_DRAFT,
    "elsewhere review, edition":    READ_DRAFT,
    "none review, preview":         READ_DRAFT,
    "open review, preview":         EVERYONE,
    "closed review, preview":       READ_DRAFT,
    "elsewhere review, preview":    READ_DRAFT,
    "none review, comments":        ALL_COMMENTS,
    "open review, comments":        OWN_COMMENTS,
    "closed review, comments":      OWN_COMMENTS,
    "elsewhere review, comments":   ALL_COMMENTS,
    "comments, missing":            MISSING_ROW,
    # No review: nothing to comment on (404 for who could comment).
    "none review, comment form":    (L,  D,  D,  D,  D,  D,  M,  D,  D,  D,  M),
    "open review, comment form":    REVIEWERS,
    # The form says the review is over, without its button; the partner it
    # named is refused (403) like any partner.
    "closed review, comment form":  (L,  D,  D,  D,  D,  D,  Y,  D,  D,  D,  Y),
    "elsewhere review, comment form": (L,  D,  D,  D,  D,  D,  Y,  D,  D,  D,  Y),
    "open review, comment":         REVIEWERS_SAVE,
    "open review, comment on a forged part": REVIEWERS_400,
    "open review, empty comment":   REVIEWERS_400,
    "closed review, comment":       (L,  D,  D,  D,  D,  D,  B,  D,  D,  D,  B),
    "elsewhere review, comment":    (L,  D,  D,  D,  D,  D,  R,  D,  D,  D,  R),
    "comment form, missing":        MISSING_ROW,
    "none review, open form":       SECRETARIAT,
    "none review, open":            SECRETARIAT_SAVES,
    "none review, open until yesterday": SECRETARIAT_400,
    "open review, open another":    SECRETARIAT_400,
    "review open, missing":         MISSING_ROW,
    "open review, close":           SECRETARIAT_SAVES,
    "open review, close unconfirmed": SECRETARIAT,
    # Closed meanwhile: whoever reads the edition is sent to it with the reason.
    "closed review, close":         (L,  W,  W,  W,  W,  W,  W,  W,  D,  W,  W),
    "review close, read":           SECRETARIAT,
    "review close, missing":        MISSING_ROW,
    "comment, answer":              SECRETARIAT_SAVES,
    "comment, empty answer":        SECRETARIAT_400,
    "comment answer, read":         SECRETARIAT_POST_ONLY,
    "comment answer, missing":      MISSING_ROW,
    "open comment, resolve":        SECRETARIAT_SAVES,
    "resolved comment, resolve":    SECRETARIAT_INFORMED,
    "comment resolve, read":        SECRETARIAT_POST_ONLY,
    "comment resolve, missing":     MISSING_ROW,
    "resolved comment, reopen":     SECRETARIAT_SAVES,
    "open comment, reopen":         SECRETARIAT_INFORMED,
    "comment reopen, read":         SECRETARIAT_POST_ONLY,
    "comment reopen, missing":      MISSING_ROW,
    "open review, publish page":    SECRETARIAT,
    "open review, publish unconfirmed": SECRETARIAT_400,
    "open review, publish confirmed": SECRETARIAT_SAVES,
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world plus the four drafts of the module's docstring."""
    secretariat = world.people["secretariat"]
    partner, delegate = world.people["partner"], world.people["commission"]
    with django_db_blocker.unblock():
        invitee = f.UserFactory(username="partenaire-invite", partner=True)
        week = timezone.localdate() + datetime.timedelta(days=7)

        def draft(title):
            return services.edition_create(user=secretariat, data={"title": title})

        def review(edition, partners):
            return services.review_open(
                user=secretariat, edition=edition, closes_on=week, partners=partners
            )

        def comment(review, author, body):
            return services.comment_create(
                user=author,
                review=review,
                section=f"proposition-{world.proposals['validated'].pk}",
                body=body,
            )

        editions = {state: draft(f"Brouillon, relecture {state}") for state in STATES}
        reviews = {
            "open": review(editions["open"], [partner, invitee]),
            "closed": review(editions["closed"], [partner, invitee]),
            "elsewhere": review(editions["elsewhere"], [invitee]),
        }
        comments = {
            "commission": comment(reviews["open"], delegate, "Avis de la commission."),
            "partner": comment(reviews["open"], partner, "Avis de la DDE."),
            "invitee": comment(reviews["open"], invitee, "Avis d’un autre partenaire."),
            "closed": comment(reviews["closed"], partner, "Avis avant clôture."),
        }
        services.comment_answer(
            user=secretariat, comment=comments["invitee"], body="Pris en compte."
        )
        services.comment_set_resolved(
            user=secretariat, comment=comments["invitee"], resolved=True
        )
        services.review_close(user=secretariat, review=reviews["closed"])
        world.people["invitee"] = invitee
        world.review_editions = editions
        world.reviews = reviews
        world.review_comments = comments
    yield world
    del world.people["invitee"]


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(Edition.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Review.objects.order_by("pk").values_list("pk", "closes_on", "closed_at")),
        list(
            ReviewComment.objects.order_by("pk").values_list(
                "pk", "status", "body", "resolved_by_id"
            )
        ),
        ReviewAnswer.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; signed-in people get the
    page, or 403 for what they may not read or do, 404 for what does not
    exist, 405 for a GET on an action. An allowed POST saves and redirects; a
    form with errors (a closing day past, a second review, a forged part, an
    empty text, a review over, open comments not confirmed) comes back with
    400 and saves nothing; what is already done is said, nothing saved."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [name for name, page in PAGES.items() if page.method == "get"]


@pytest.mark.parametrize("role", ["partner", "secretariat"])
@pytest.mark.parametrize("page", GET_PAGES)
def test_no_page_has_inline_code(client, world, page, role):
    """Every GET page of this matrix keeps to the Content-Security-Policy."""
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404, 405}
    assert_no_inline_code(response)


def comments_html(client, world, role, state="open"):
    client.force_login(world.people[role])
    url = reverse(
        "referentiel:comments", kwargs={"pk": world.review_editions[state].pk}
    )
    return client.get(url).content.decode()


def test_an_invited_partner_reads_only_their_own_comments(client, world):
    """Not the commission's, not the other partner's, in the list, the count
    of the edition's page or the preview."""
    html = comments_html(client, world, "partner")

    assert "Avis de la DDE." in html
    assert "Avis de la commission." not in html
    assert "Avis d’un autre partenaire." not in html
    assert "Pris en compte." not in html
    page = client.get(world.review_editions["open"].get_absolute_url())
    assert page.context["open_comment_count"] == 1


@pytest.mark.parametrize("role", ["commission", "secretariat"])
def test_the_commission_and_the_secretariat_read_every_comment(client, world, role):
    html = comments_html(client, world, role)

    for text in ("Avis de la DDE.", "Avis de la commission.", "Pris en compte."):
        assert text in html


def test_only_the_secretariat_gets_the_answer_forms(client, world):
    assert "comment_answer" not in comments_html(client, world, "commission")
    assert 'name="body"' not in comments_html(client, world, "commission")
    assert 'name="body"' in comments_html(client, world, "secretariat")


def test_a_review_opens_no_other_page_to_the_partner(client, world):
    """Invited to a draft's review, a partner still reads no other draft and
    no proposal beyond the validated ones."""
    client.force_login(world.people["partner"])

    assert (
        client.get(world.review_editions["none"].get_absolute_url()).status_code == 403
    )
    assert client.get(world.proposals["draft"].get_absolute_url()).status_code == 403
    assert (
        client.get(world.proposals["submitted"].get_absolute_url()).status_code == 403
    )
    listed = client.get(reverse("referentiel:list")).content.decode()
    assert world.review_editions["none"].title not in listed

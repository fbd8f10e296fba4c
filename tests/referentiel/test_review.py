"""The review of a draft edition: the secretariat opens it until a day, to the
commission and named partners; reviewers comment on a part of the draft
(anchors checked against its current content); the secretariat answers,
resolves, reopens; publishing asks to confirm what is still open and closes
the review. Who reads which comment.

Built on tests/world.py, with ``invited``, a partner named in the reviews
opened here, and the world's ``partner``, who is not.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal import texts
from referentiel import content as edition_content
from referentiel import selectors, services
from referentiel.models import Edition, Review, ReviewComment
from referentiel.verbs import ReferentielVerb
from tests import factories as f
from tests.matrix import CONFIRMED
from tests.referentiel.support import new_edition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are checked in the source language: the French catalog
    may reword them without breaking these tests (tests/test_translations.py
    checks it is complete)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


TODAY = timezone.localdate


@pytest.fixture(scope="module")
def review_world(world, django_db_blocker):
    with django_db_blocker.unblock():
        world.people["invited"] = f.UserFactory(
            username="partenaire-invite",
            partner=True,
            first_name="Claire",
            last_name="Vidal",
        )
    return world


@pytest.fixture
def w(review_world):
    return review_world


@pytest.fixture
def draft(w):
    return new_edition(w)


def open_review(w, edition, days=7, partners=None):
    return services.review_open(
        user=w.people["secretariat"],
        edition=edition,
        closes_on=TODAY() + datetime.timedelta(days=days),
        partners=[w.people["invited"]] if partners is None else partners,
    )


def validated(w):
    return w.proposals[Proposal.Status.VALIDATED]


def comment(w, review, role="commission", section=None, body="À préciser."):
    return services.comment_create(
        user=w.people[role],
        review=review,
        section=f"proposition-{validated(w).pk}" if section is None else section,
        body=body,
    )


def audited(verb):
    return AuditEvent.objects.filter(action=verb).count()


# --- Services ---------------------------------------------------------------


def test_opening_a_review_invites_the_commission_and_the_named_partners(
    w, draft, django_capture_on_commit_callbacks
):
    """The commission's delegates and the partners named get a French e-mail
    with the link to the preview; the journal says so."""
    with django_capture_on_commit_callbacks(execute=True):
        review = open_review(w, draft)

    assert review.is_open
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [w.people["commission"].email, w.people["invited"].email]
    )
    assert draft.title in mail.outbox[0].subject
    assert (
        reverse("referentiel:preview", kwargs={"pk": draft.pk}) in mail.outbox[0].body
    )
    assert audited(ReferentielVerb.REVIEW_OPEN) == 1


def test_a_review_closes_today_or_later(w, draft):
    """A closing day in the past is refused; today is accepted."""
    with pytest.raises(ValidationError) as refused:
        open_review(w, draft, days=-1)
    assert "closes_on" in refused.value.error_dict

    assert open_review(w, draft, days=0).is_open


def test_one_open_review_per_edition(w, draft):
    """A second review is refused while one is open; once it is closed, a new
    one opens. One whose day has passed is closed when the next opens."""
    first = open_review(w, draft)
    with pytest.raises(ValidationError):
        open_review(w, draft)

    assert services.review_close(user=w.people["secretariat"], review=first)
    assert not services.review_close(user=w.people["secretariat"], review=first)
    second = open_review(w, draft)
    Review.objects.filter(pk=second.pk).update(
        closes_on=TODAY() - datetime.timedelta(days=1)
    )

    third = open_review(w, draft)

    second.refresh_from_db()
    assert second.closed_at is not None
    assert third.is_open
    assert audited(ReferentielVerb.REVIEW_CLOSE) == 2


def test_only_partners_are_named(w, draft):
    with pytest.raises(ValidationError):
        open_review(w, draft, partners=[w.people["member"]])


def test_a_published_edition_is_not_reviewed(w, draft):
    published = services.edition_publish(user=w.people["secretariat"], edition=draft)
    with pytest.raises(services.EditionNotDraft):
        open_review(w, published)


@pytest.mark.parametrize(
    "section",
    [
        "introduction",
        "axe-1",
        "enjeu-11",
        "proposition-{validated}",
    ],
)
def test_every_part_of_the_draft_takes_a_comment(w, draft, section):
    review = open_review(w, draft)
    section = section.format(validated=validated(w).pk)

    made = comment(w, review, section=section)

    assert made.section == section
    assert made.section_label
    assert audited(ReferentielVerb.REVIEW_COMMENT) == 1


@pytest.mark.parametrize(
    "section",
    [
        "axe-99",
        "enjeu-19",
        "proposition-987654",
        "proposition-{draft_proposal}",
        "proposition-{left_out}",
        "<script>",
        "",
    ],
)
def test_an_anchor_not_in_the_draft_is_refused(w, draft, section):
    """A forged id, a proposal not validated, one the secretariat left out of
    this edition: refused on the section, nothing saved."""
    left_out = w.their_proposals[Proposal.Status.VALIDATED]
    services.entry_set_included(
        user=w.people["secretariat"], edition=draft, proposal=left_out, included=False
    )
    review = open_review(w, draft)
    section = section.format(
        draft_proposal=w.proposals[Proposal.Status.DRAFT].pk, left_out=left_out.pk
    )

    with pytest.raises(ValidationError) as refused:
        comment(w, review, section=section)

    assert "section" in refused.value.error_dict
    assert not ReviewComment.objects.exists()


def test_an_anchor_of_another_edition_is_refused(w, draft):
    """A proposal left out of this draft but in another is not an anchor here."""
    other = new_edition(w, title="Autre brouillon")
    proposal = w.their_proposals[Proposal.Status.VALIDATED]
    services.entry_set_included(
        user=w.people["secretariat"], edition=draft, proposal=proposal, included=False
    )
    comment(w, open_review(w, other), section=f"proposition-{proposal.pk}")

    with pytest.raises(ValidationError):
        comment(w, open_review(w, draft), section=f"proposition-{proposal.pk}")


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (texts.COMMENT + 1)])
def test_a_comment_is_bounded(w, draft, body):
    with pytest.raises(ValidationError) as refused:
        comment(w, open_review(w, draft), body=body)
    assert "body" in refused.value.error_dict


def test_a_comment_at_its_maximum_is_taken(w, draft):
    """Line breaks count once (CR LF as LF)."""
    body = "a\r\n" * (texts.COMMENT // 2)
    assert len(comment(w, open_review(w, draft), body=body).body) < texts.COMMENT


def test_no_comment_after_the_review(w, draft):
    """Closed, or past its last day: refused, saying so."""
    review = open_review(w, draft)
    Review.objects.filter(pk=review.pk).update(
        closes_on=TODAY() - datetime.timedelta(days=1)
    )
    review.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        comment(w, review)

    services.review_close(user=w.people["secretariat"], review=review)
    review.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        comment(w, review)


def test_the_last_day_is_included(w, draft):
    review = open_review(w, draft, days=0)
    assert comment(w, review).pk


def test_answers_resolve_and_reopen_are_audited(
    w, draft, django_capture_on_commit_callbacks
):
    made = comment(w, open_review(w, draft), role="invited")
    secretariat = w.people["secretariat"]

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_answer(user=secretariat, comment=made, body="Corrigé.")
    services.comment_answer(user=secretariat, comment=made, body="Et relu.")
    assert services.comment_set_resolved(user=secretariat, comment=made, resolved=True)
    assert not services.comment_set_resolved(
        user=secretariat, comment=made, resolved=True
    )
    assert services.comment_set_resolved(user=secretariat, comment=made, resolved=False)

    made.refresh_from_db()
    assert made.is_open and made.resolved_by is None
    assert made.answers.count() == 2
    assert [m.to for m in mail.outbox] == [[w.people["invited"].email]]
    assert [
        audited(v) for v in ("review_answer", "review_resolve", "review_reopen")
    ] == [
        2,
        1,
        1,
    ]


def test_publishing_with_open_comments_needs_their_number(w, draft):
    """Refused while more comments are open than accepted; accepted, it
    publishes and closes the review."""
    review = open_review(w, draft)
    comment(w, review)
    comment(w, review, role="invited")
    secretariat = w.people["secretariat"]

    for accepted in (0, 1):
        with pytest.raises(ValidationError, match="2 comments"):
            services.edition_publish(
                user=secretariat, edition=draft, open_comments_accepted=accepted
            )
    draft.refresh_from_db()
    assert draft.is_draft

    services.edition_publish(user=secretariat, edition=draft, open_comments_accepted=2)

    draft.refresh_from_db()
    review.refresh_from_db()
    assert draft.is_published
    assert review.closed_at is not None and not review.is_open


def test_publishing_without_comments_closes_the_review(w, draft):
    review = open_review(w, draft)
    services.edition_publish(user=w.people["secretariat"], edition=draft)
    review.refresh_from_db()
    assert review.closed_by == w.people["secretariat"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("secretariat", {"commission", "invited", "second"}),
        ("commission", {"commission", "invited", "second"}),
        ("superuser", {"commission", "invited", "second"}),
        ("invited", {"invited"}),
        ("second", {"second"}),
        ("partner", set()),
        ("member", set()),
        ("plain", set()),
    ],
)
def test_a_partner_reads_only_their_own_comments(w, draft, role, sees):
    """The commission and the secretariat read every comment; an invited
    partner their own; anyone else none."""
    second = f.UserFactory(username="second-invite", partner=True)
    w.people["second"] = second
    try:
        review = open_review(w, draft, partners=[w.people["invited"], second])
        for author in ("commission", "invited", "second"):
            comment(w, review, role=author)

        visible = selectors.comments_visible_to(w.people[role], draft)

        assert {c.author.username for c in visible} == {
            w.people[name].username for name in sees
        }
    finally:
        del w.people["second"]


def test_comments_are_grouped_by_section_in_document_order(w, draft):
    review = open_review(w, draft)
    comment(w, review, section=f"proposition-{validated(w).pk}")
    comment(w, review, section="introduction")
    comment(w, review, section="axe-1")
    sections = edition_content.sections(edition_content.assemble(draft))

    groups = selectors.by_section(ReviewComment.objects.all(), sections)

    assert [g["section"] for g in groups] == [
        "introduction",
        "axe-1",
        f"proposition-{validated(w).pk}",
    ]


# --- Pages --------------------------------------------------------------------


def comment_url(edition):
    return reverse("referentiel:comment_create", kwargs={"pk": edition.pk})


def test_the_preview_has_a_comment_button_per_part(client, w, draft):
    """For a reviewer while the review is open: the introduction, each axis,
    each enjeu, each proposal; prefilled forms, no JavaScript needed."""
    open_review(w, draft)
    client.force_login(w.people["invited"])

    html = client.get(reverse("referentiel:preview", kwargs={"pk": draft.pk})).content
    html = html.decode()

    base = comment_url(draft)
    assert f'{base}?section=introduction"' in html
    assert f'{base}?section=axe-1"' in html
    assert f'{base}?section=enjeu-11"' in html
    assert f'{base}?section=proposition-{validated(w).pk}"' in html
    form = client.get(f"{base}?section=axe-1")
    assert form.context["form"]["section"].value() == "axe-1"


@pytest.mark.parametrize("role", ["secretariat", "member", "invited"])
def test_no_comment_button_without_an_open_review(client, w, draft, role):
    """Not for the secretariat or the working group, not once closed."""
    review = open_review(w, draft)
    if role == "invited":
        services.review_close(user=w.people["secretariat"], review=review)
    client.force_login(w.people[role])

    html = client.get(reverse("referentiel:preview", kwargs={"pk": draft.pk}))

    assert "comment-button" not in html.content.decode()


def test_the_pdf_html_never_has_comment_buttons(w, draft):
    """The PDF's HTML (document.html alone) has no comment link, whatever the
    review."""
    from referentiel.pdf import render_document_html

    open_review(w, draft)
    html = render_document_html(edition_content.document_content(draft), for_print=True)

    assert "comment-button" not in html
    assert "commentaires/nouveau" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"section": "introduction", "body": "  "}, "Write your comment"),
        (
            {"section": "introduction", "body": "x" * (texts.COMMENT + 1)},
            str(texts.COMMENT),
        ),
        ({"section": "proposition-987654", "body": "Texte gardé"}, "not in the"),
        ({"section": "", "body": "Texte gardé"}, "Choose the part"),
    ],
)
def test_a_bad_comment_gets_the_form_again(client, w, draft, data, message):
    """400, the message next to the field, the text kept, nothing saved."""
    open_review(w, draft)
    client.force_login(w.people["invited"])

    response = client.post(comment_url(draft), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert data["body"].strip()[:50] in html
    errors = " ".join(
        e for field in response.context["form"].errors.values() for e in field
    )
    assert message in errors or message in html
    assert not ReviewComment.objects.exists()


def test_a_comment_on_a_closed_review_says_so(client, w, draft):
    review = open_review(w, draft)
    services.review_close(user=w.people["secretariat"], review=review)
    client.force_login(w.people["commission"])

    response = client.post(
        comment_url(draft), {"section": "introduction", "body": "Mon texte gardé"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Mon texte gardé" in html
    assert response.context["form"].non_field_errors()
    assert not ReviewComment.objects.exists()


def test_a_comment_is_saved_and_shown_with_its_answer(client, w, draft):
    review = open_review(w, draft)
    client.force_login(w.people["invited"])
    response = client.post(
        comment_url(draft), {"section": "axe-1", "body": "Le **diagnostic**."}
    )
    made = ReviewComment.objects.get()
    assert response.status_code == 302
    assert response.url == made.get_absolute_url()
    services.comment_answer(
        user=w.people["secretariat"], comment=made, body="Repris en page 4."
    )
    comment(w, review, role="commission", body="Un avis de la commission.")

    html = client.get(reverse("referentiel:comments", kwargs={"pk": draft.pk}))
    html = html.content.decode()

    assert "<strong>diagnostic</strong>" in html
    assert "Repris en page 4." in html
    assert "Un avis de la commission." not in html


def test_an_empty_answer_gets_the_list_again(client, w, draft):
    made = comment(w, open_review(w, draft))
    client.force_login(w.people["secretariat"])

    response = client.post(
        reverse("referentiel:comment_answer", kwargs={"pk": made.pk}), {"body": " "}
    )

    assert response.status_code == 400
    assert "Write your answer" in response.content.decode()
    assert not made.answers.exists()


def test_the_edition_page_counts_the_open_comments(client, w, draft):
    review = open_review(w, draft)
    for _ in range(3):
        comment(w, review)
    services.comment_set_resolved(
        user=w.people["secretariat"], comment=comment(w, review), resolved=True
    )
    client.force_login(w.people["secretariat"])

    response = client.get(draft.get_absolute_url())

    assert response.context["open_comment_count"] == 3
    assert reverse("referentiel:comments", kwargs={"pk": draft.pk}) in (
        response.content.decode()
    )


def publish_url(edition):
    return reverse("referentiel:publish", kwargs={"pk": edition.pk})


def test_publishing_with_open_comments_asks_to_confirm(client, w, draft):
    """Without the box ticked: 400, the form says why, nothing published; with
    it, published, the review closed."""
    review = open_review(w, draft)
    comment(w, review)
    comment(w, review, role="invited")
    client.force_login(w.people["secretariat"])

    page = client.get(publish_url(draft))
    assert page.context["form"].fields["confirm"].label.startswith("Publish despite 2")
    refused = client.post(publish_url(draft), {"open_comments": "2", **CONFIRMED})

    assert refused.status_code == 400
    assert refused.context["form"].errors["confirm"]
    draft.refresh_from_db()
    assert draft.is_draft

    done = client.post(
        publish_url(draft),
        {"open_comments": "2", "confirm": "on", **CONFIRMED},
    )

    assert done.status_code == 302
    draft.refresh_from_db()
    review.refresh_from_db()
    assert draft.is_published
    assert review.closed_at is not None


def test_a_comment_left_meanwhile_asks_again(client, w, draft):
    review = open_review(w, draft)
    comment(w, review)
    client.force_login(w.people["secretariat"])
    comment(w, review, role="invited")  # after the page showed 1

    response = client.post(
        publish_url(draft),
        {"open_comments": "1", "confirm": "on", **CONFIRMED},
    )

    assert response.status_code == 400
    assert Edition.objects.get(pk=draft.pk).is_draft


def test_the_review_form_names_partners_with_their_organisation(client, w, draft):
    client.force_login(w.people["secretariat"])

    response = client.get(reverse("referentiel:review_open", kwargs={"pk": draft.pk}))

    html = response.content.decode()
    invited = w.people["invited"]
    assert f"Claire Vidal — {invited.organisation.name}" in html
    assert w.people["member"].get_full_name() not in html


def test_a_past_closing_day_is_a_form_error(client, w, draft):
    client.force_login(w.people["secretariat"])

    response = client.post(
        reverse("referentiel:review_open", kwargs={"pk": draft.pk}),
        {"closes_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["closes_on"]
    assert not Review.objects.exists()


def test_a_partner_named_in_an_earlier_review_does_not_comment_on_a_later_one(
    client, w, draft
):
    """Being named in a closed review of the draft lets a partner read their
    own comments, not the draft; the next review, which does not name them,
    takes no comment from them: refused by the permission (403), and by the
    service if it were ever asked."""
    first = open_review(w, draft)
    services.review_close(user=w.people["secretariat"], review=first)
    second = open_review(w, draft, partners=[])
    client.force_login(w.people["invited"])

    response = client.post(
        reverse("referentiel:comment_create", kwargs={"pk": draft.pk}),
        {"section": f"proposition-{validated(w).pk}", "body": "Un avis non demandé."},
    )

    assert response.status_code == 403
    assert not ReviewComment.objects.filter(review=second).exists()
    own = client.get(reverse("referentiel:comments", kwargs={"pk": draft.pk}))
    assert own.status_code == 200
    with pytest.raises(ValidationError):
        comment(w, second, role="invited")

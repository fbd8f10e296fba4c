"""Reads shared by the pages of an edition's review: who reads which
comments, how many are open, and the comments grouped by the section of the
document they are about; and which editions a person reads, for the lists of
other apps (the portal-wide search)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from people.models import User

from .models import Edition, Review, ReviewAnswer, ReviewComment
from .rules import in_working_group


def edition_visibility_q(user) -> Q:
    """The editions ``user`` reads, as a filter: the same rule as the
    ``referentiel.view_edition`` permission (rules.py). The working group reads
    every edition, drafts included; anyone else signed in reads the published
    ones, and a partner named in a draft's review open now reads that draft."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if in_working_group(user):
        return Q()
    reviewing = Review.objects.filter(
        partners=user, closed_at__isnull=True, closes_on__gte=timezone.localdate()
    ).values("edition_id")
    return Q(status=Edition.Status.PUBLISHED) | Q(pk__in=reviewing)


def current_review(edition: Edition) -> Review | None:
    """The edition's latest review (open, ended or closed), or None."""
    return (
        Review.objects.filter(edition=edition)
        .select_related("opened_by", "closed_by")
        .prefetch_related(
            Prefetch("partners", queryset=User.objects.select_related("organisation"))
        )
        .order_by("-opened_at", "-pk")
        .first()
    )


def comments_visible_to(user, edition: Edition) -> QuerySet[ReviewComment]:
    """The comments on ``edition`` (every review of it) that ``user`` reads:
    all of them for the commission and the secretariat, their own for an
    invited partner, none for anyone else."""
    comments = ReviewComment.objects.filter(review__edition=edition)
    if user.has_perm("referentiel.view_all_review_comments", edition):
        return comments
    if user.has_perm("referentiel.view_review_comments", edition):
        return comments.filter(author=user)
    return comments.none()


def with_answers(comments: QuerySet[ReviewComment]) -> QuerySet[ReviewComment]:
    """What the list of comments shows of each, read in three queries."""
    return comments.select_related(
        "author__organisation", "resolved_by", "review"
    ).prefetch_related(
        Prefetch(
            "answers",
            queryset=ReviewAnswer.objects.select_related("author").order_by(
                "created_at", "pk"
            ),
        )
    )


def open_count(comments: QuerySet[ReviewComment]) -> int:
    return comments.filter(status=ReviewComment.Status.OPEN).count()


def open_comments_of(edition: Edition) -> QuerySet[ReviewComment]:
    """Every open comment on the edition, whoever wrote it: what publishing
    asks to confirm."""
    return ReviewComment.objects.filter(
        review__edition=edition, status=ReviewComment.Status.OPEN
    )


def by_section(comments, sections: dict[str, str]) -> list[dict]:
    """``comments`` grouped by section, in the document's order (``sections``,
    from content.sections); a section no longer in the draft (a proposal left
    out since) comes last, under the name it had."""
    groups: dict[str, dict] = {
        key: {"section": key, "label": label, "present": True, "comments": []}
        for key, label in sections.items()
    }
    gone: dict[str, dict] = {}
    for comment in comments:
        group = groups.get(comment.section)
        if group is None:
            group = gone.setdefault(
                comment.section,
                {
                    "section": comment.section,
                    "label": comment.section_label,
                    "present": False,
                    "comments": [],
                },
            )
        group["comments"].append(comment)
    return [g for g in [*groups.values(), *gone.values()] if g["comments"]]

"""Reads shared by the pages of an edition's review: who reads which
comments, how many are open, and the comments grouped by the section of the
document they are about; and which editions a person reads, for the lists of
other apps (the portal-wide search)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ateliers.models import Proposal
from cucs_portal.printed import PrintedRenumbering
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


def printed_renumbering(new_references) -> list[PrintedRenumbering]:
    """Where renumbering enjeux (pk → the reference it will have) makes the
    portal differ from published editions: the enjeux printed there under
    another number, and the proposals printed under them. A printed enjeu is
    known by the proposals under it (the frozen content holds their ids, not
    the enjeu's). Registered in cucs_portal.printed (apps.py)."""
    moved_to = dict(
        Proposal.objects.filter(enjeu_id__in=list(new_references)).values_list(
            "pk", "enjeu_id"
        )
    )
    if not moved_to:
        return []
    found = []
    published = Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by(
        "published_at", "pk"
    )
    for edition in published.only("pk", "title", "published_at", "snapshot"):
        headings, items = [], []
        for axis in (edition.snapshot or {}).get("axes", []):
            for enjeu in axis.get("enjeux", []):
                under = [p for p in enjeu.get("proposals", []) if p["id"] in moved_to]
                if not under:
                    continue
                becomes = new_references[moved_to[under[0]["id"]]]
                if becomes != enjeu["reference"]:
                    headings.append((enjeu["reference"], becomes))
                    items.extend(p["reference"] for p in under)
        if headings:
            found.append(
                PrintedRenumbering(
                    document=_("« %(title)s », published on %(date)s")
                    % {
                        "title": edition.title,
                        "date": date_format(
                            timezone.localtime(edition.published_at), "DATE_FORMAT"
                        ),
                    },
                    url=edition.get_absolute_url(),
                    headings=tuple(headings),
                    items=tuple(items),
                )
            )
    return found

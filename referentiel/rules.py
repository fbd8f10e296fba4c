"""Who may do what with the référentiel. Default deny.

The working group (every signed-in person who is not only a partner) reads the
editions, drafts included, and previews them; partners read published editions
only, and so does anyone holding a share link. The secretariat alone writes.

A review of a draft asks the commission (every delegate) and named partners
for comments: a partner named in the review open now reads that draft (its
page and its preview) while it lasts, and their own comments with their
answers for good, nothing else;
the commission and the secretariat read every comment; the secretariat opens
and closes reviews, answers and resolves comments.
"""

import rules
from django.utils import timezone

from people.rules import is_authenticated, is_commission_member, is_secretariat

from .models import Review


@rules.predicate
def in_working_group(user) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_partner or is_secretariat(user) or user.is_commission_delegate:
        return True
    return user.atelier_memberships.exists()


@rules.predicate
def is_published(user, edition) -> bool:
    return edition is not None and edition.is_published


@rules.predicate
def is_draft(user, edition) -> bool:
    return edition is not None and edition.is_draft


@rules.predicate
def is_review_invitee(user, edition) -> bool:
    """A partner named in a review of this edition (open or closed)."""
    if edition is None or edition.pk is None or not user.is_authenticated:
        return False
    return Review.objects.filter(edition=edition, partners=user).exists()


@rules.predicate
def is_open_review_invitee(user, edition) -> bool:
    """A partner named in the review of this draft that is open now (not
    closed, its last day not past): they read the draft while they review it,
    not the drafts that follow; their comments and the answers stay theirs to
    read (``is_review_invitee``)."""
    if edition is None or edition.pk is None or not user.is_authenticated:
        return False
    return Review.objects.filter(
        edition=edition,
        partners=user,
        closed_at__isnull=True,
        closes_on__gte=timezone.localdate(),
    ).exists()


rules.add_perm("referentiel.view_edition_list", is_authenticated)
rules.add_perm(
    "referentiel.view_edition",
    in_working_group | (is_authenticated & is_published) | is_open_review_invitee,
)
rules.add_perm(
    "referentiel.download_edition",
    in_working_group | (is_authenticated & is_published),
)
rules.add_perm("referentiel.add_edition", is_secretariat)
rules.add_perm("referentiel.change_edition", is_secretariat & is_draft)
rules.add_perm("referentiel.publish_edition", is_secretariat & is_draft)
rules.add_perm("referentiel.export_edition", is_secretariat)
rules.add_perm("referentiel.manage_share_links", is_secretariat & is_published)
rules.add_perm("referentiel.view_share_links", is_secretariat)
rules.add_perm("referentiel.open_review", is_secretariat & is_draft)
rules.add_perm("referentiel.close_review", is_secretariat)
# Objects: the edition. Which comments: see selectors.comments_visible_to.
rules.add_perm(
    "referentiel.view_review_comments",
    is_secretariat | is_commission_member | is_review_invitee,
)
rules.add_perm(
    "referentiel.view_all_review_comments", is_secretariat | is_commission_member
)
# Whether the review takes comments (open, its day not past) is the service's.
rules.add_perm(
    "referentiel.comment_edition", is_commission_member | is_open_review_invitee
)
rules.add_perm("referentiel.answer_review_comment", is_secretariat)
rules.add_perm("referentiel.resolve_review_comment", is_secretariat)

"""Who hears about a review of an edition."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cucs_portal.mail import absolute_url, notify
from cucs_portal.notifications import NotificationKind
from people.models import User

from .models import Review, ReviewComment

REVIEW_OPENED = NotificationKind(
    "review_opened",
    _("A draft of the référentiel waits for your comments"),
    concerns=_("the commission's delegates and the partners named in the review"),
)
COMMENT_ANSWERED = NotificationKind(
    "comment_answered",
    _("The secretariat answered your comment on a draft"),
    concerns=_("the comment's author"),
)
NOTIFICATION_KINDS = [REVIEW_OPENED, COMMENT_ANSWERED]


def review_reviewers(review: Review):
    """The commission's delegates and the partners named in the review."""
    return User.objects.filter(
        Q(is_commission_delegate=True, organisation__is_commission_member=True)
        | Q(pk__in=review.partners.values("pk")),
        is_active=True,
    )


def review_opened(*, review: Review) -> None:
    """The reviewers: a draft waits for their comments until a day."""
    edition = review.edition
    notify(
        recipients=review_reviewers(review),
        kind=REVIEW_OPENED,
        template="referentiel/emails/review_opened",
        context={
            "review": review,
            "edition": edition,
            "preview_url": absolute_url(
                reverse("referentiel:preview", kwargs={"pk": edition.pk})
            ),
            "comments_url": absolute_url(
                reverse("referentiel:comments", kwargs={"pk": edition.pk})
            ),
        },
    )


def comment_answered(*, comment: ReviewComment) -> None:
    """The comment's author: the secretariat answered."""
    notify(
        recipients=User.objects.filter(pk=comment.author_id, is_active=True),
        kind=COMMENT_ANSWERED,
        template="referentiel/emails/comment_answered",
        context={
            "comment": comment,
            "edition": comment.review.edition,
            "url": absolute_url(comment.get_absolute_url()),
        },
    )

"""Who hears about what happens to a proposal."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cucs_portal.mail import absolute_url, notify
from cucs_portal.notifications import NotificationKind
from people.models import User

from .models import AtelierMembership, Proposal

PROPOSAL_SUBMITTED = NotificationKind(
    "proposal_submitted",
    _("A proposal is submitted to the commission"),
    concerns=_("the commission's delegates"),
)
PROPOSAL_READY = NotificationKind(
    "proposal_ready",
    _("A member says a draft is ready to submit"),
    concerns=_("the co-animators of its atelier"),
)
PROPOSAL_DECIDED = NotificationKind(
    "proposal_decided",
    _("The commission decided on a proposal, or deferred it"),
    concerns=_("its authors and the co-animators of its atelier"),
)
SUGGESTION_MADE = NotificationKind(
    "suggestion_made",
    _("A change is suggested on a proposal"),
    concerns=_("its authors and the co-animators of its atelier"),
)
SUGGESTION_DECIDED = NotificationKind(
    "suggestion_decided",
    _("The atelier accepted or declined a suggested change"),
    concerns=_("the person who suggested it"),
)
NOTIFICATION_KINDS = [
    PROPOSAL_READY,
    PROPOSAL_SUBMITTED,
    PROPOSAL_DECIDED,
    SUGGESTION_MADE,
    SUGGESTION_DECIDED,
]


def proposal_people(proposal: Proposal):
    """Who wrote ``proposal`` and who co-animates its atelier: they hear what
    the commission does with it."""
    return User.objects.filter(
        Q(authored_proposals=proposal)
        | Q(pk=proposal.created_by_id)
        | Q(
            atelier_memberships__atelier_id=proposal.atelier_id,
            atelier_memberships__role__in=AtelierMembership.COANIMATOR_ROLES,
        ),
        is_active=True,
    ).distinct()


def proposal_submitted(*, proposal: Proposal) -> None:
    """Commission members: a proposal waits for their decision."""
    notify(
        recipients=User.objects.filter(is_active=True, is_commission_delegate=True),
        kind=PROPOSAL_SUBMITTED,
        template="emails/proposal_submitted",
        context={
            "proposal": proposal,
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )


def proposal_decided(*, proposal: Proposal, comment: str) -> None:
    """The proposal's authors and the atelier's co-animators: the commission
    validated, rejected or sent back their proposal."""
    notify(
        recipients=proposal_people(proposal),
        kind=PROPOSAL_DECIDED,
        template="emails/proposal_decided",
        context={
            "proposal": proposal,
            "comment": comment,
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )


def suggestion_made(*, suggestion) -> None:
    """The proposal's authors and the atelier's co-animators: someone suggests
    a change to decide on (not the person who suggested it)."""
    proposal = suggestion.proposal
    notify(
        recipients=proposal_people(proposal).exclude(pk=suggestion.author_id),
        kind=SUGGESTION_MADE,
        template="emails/suggestion_made",
        context={
            "suggestion": suggestion,
            "proposal": proposal,
            "url": absolute_url(suggestion.get_absolute_url()),
        },
    )


def suggestion_decided(*, suggestion) -> None:
    """The person who suggested the change: the atelier accepted or declined it."""
    notify(
        recipients=[suggestion.author] if suggestion.author.is_active else [],
        kind=SUGGESTION_DECIDED,
        template="emails/suggestion_decided",
        context={
            "suggestion": suggestion,
            "proposal": suggestion.proposal,
            "url": absolute_url(suggestion.get_absolute_url()),
        },
    )


def proposal_ready(*, proposal: Proposal, acting_user) -> None:
    """The atelier's co-animators: a member says the draft is ready for them
    to submit (not the person who said so)."""
    notify(
        recipients=User.objects.filter(
            atelier_memberships__atelier_id=proposal.atelier_id,
            atelier_memberships__role__in=AtelierMembership.COANIMATOR_ROLES,
            is_active=True,
        )
        .exclude(pk=acting_user.pk)
        .distinct(),
        kind=PROPOSAL_READY,
        template="emails/proposal_ready",
        context={
            "proposal": proposal,
            "signalled_by": acting_user,
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )

"""Who hears about what happens to a proposal."""

from django.db.models import Q

from cucs_portal.mail import absolute_url, notify
from people.models import User

from .models import AtelierMembership, Proposal


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
        recipients=User.objects.filter(
            Q(authored_proposals=proposal)
            | Q(
                atelier_memberships__atelier_id=proposal.atelier_id,
                atelier_memberships__role__in=AtelierMembership.COANIMATOR_ROLES,
            ),
            is_active=True,
        )
        .exclude(pk=suggestion.author_id)
        .distinct(),
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
        template="emails/suggestion_decided",
        context={
            "suggestion": suggestion,
            "proposal": suggestion.proposal,
            "url": absolute_url(suggestion.get_absolute_url()),
        },
    )

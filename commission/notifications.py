"""Who hears about the commission's rounds and sessions."""

from ateliers.notifications import proposal_people
from cucs_portal.mail import absolute_url, notify
from people.models import User

from .models import ValidationRound


def round_opened(*, validation_round: ValidationRound) -> None:
    """Commission members: their organisation's position is awaited."""
    notify(
        recipients=User.objects.filter(is_active=True, is_commission_delegate=True),
        template="emails/round_opened",
        context={
            "round": validation_round,
            "axes": list(validation_round.axes.order_by("number")),
            "url": absolute_url(validation_round.get_absolute_url()),
        },
    )


def session_convened(*, session, proposals) -> None:
    """The delegates: a session is convened, with its agenda; the authors and
    co-animators of each proposal just put on it: when it will be examined."""
    url = absolute_url(session.get_absolute_url())
    items = list(
        session.items.select_related("proposal__atelier__axis", "axis").order_by(
            "axis__number", "proposal__atelier__axis__number", "proposal__number"
        )
    )
    notify(
        recipients=User.objects.filter(is_active=True, is_commission_delegate=True),
        template="emails/session_convened",
        context={"session": session, "items": items, "url": url},
    )
    for proposal in proposals:
        notify(
            recipients=proposal_people(proposal),
            template="emails/proposal_on_agenda",
            context={
                "session": session,
                "proposal": proposal,
                "url": absolute_url(proposal.get_absolute_url()),
            },
        )


def proposal_deferred(*, item, proposal) -> None:
    """The authors and co-animators: the session closed without deciding."""
    notify(
        recipients=proposal_people(proposal),
        template="emails/proposal_deferred",
        context={
            "session": item.session,
            "item": item,
            "proposal": proposal,
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )

"""Who hears about the commission's rounds and sessions."""

from django.utils.translation import gettext_lazy as _

from ateliers.notifications import PROPOSAL_DECIDED, proposal_people
from cucs_portal.mail import absolute_url, notify
from cucs_portal.notifications import NotificationKind
from people.models import User

from .models import ValidationRound

ROUND_OPENED = NotificationKind(
    "round_opened",
    _("A validation round of the axes is opened"),
    concerns=_("the commission's delegates"),
)
SESSION_CONVENED = NotificationKind(
    "session_convened",
    _("A commission session is convened or its agenda changes"),
    concerns=_("the commission's delegates"),
)
PROPOSAL_ON_AGENDA = NotificationKind(
    "proposal_on_agenda",
    _("A proposal is put on the agenda of a commission session"),
    concerns=_("its authors and the co-animators of its atelier"),
)
NOTIFICATION_KINDS = [ROUND_OPENED, SESSION_CONVENED, PROPOSAL_ON_AGENDA]


def round_opened(*, validation_round: ValidationRound) -> None:
    """Commission members: their organisation's position is awaited."""
    notify(
        recipients=User.objects.filter(is_active=True, is_commission_delegate=True),
        kind=ROUND_OPENED,
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
        kind=SESSION_CONVENED,
        template="emails/session_convened",
        context={"session": session, "items": items, "url": url},
    )
    for proposal in proposals:
        notify(
            recipients=proposal_people(proposal),
            kind=PROPOSAL_ON_AGENDA,
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
        kind=PROPOSAL_DECIDED,
        template="emails/proposal_deferred",
        context={
            "session": item.session,
            "item": item,
            "proposal": proposal,
            "url": absolute_url(proposal.get_absolute_url()),
        },
    )

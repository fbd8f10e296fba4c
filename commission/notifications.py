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

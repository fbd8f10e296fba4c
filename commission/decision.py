"""The commission's decision rule on an axis, stated once: used to decide when a
round closes and to explain the rule on screen."""

import math
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Tally:
    members: int  # member organisations of the commission when the round closes
    approve: int
    reservations: int
    oppose: int

    @property
    def answers(self) -> int:
        return self.approve + self.reservations + self.oppose

    @property
    def approvals(self) -> int:
        """An approval with reservations is an approval."""
        return self.approve + self.reservations


def quorum_ratio() -> Fraction:
    return Fraction(str(settings.COMMISSION_QUORUM))


def quorum_required(members: int) -> int:
    """How many member organisations must answer (at least one)."""
    return max(1, math.ceil(members * quorum_ratio()))


def is_validated(tally: Tally) -> bool:
    """Quorum reached, and strictly more than half of the answers approve: a tie
    is not a majority."""
    return tally.answers >= quorum_required(tally.members) and (
        2 * tally.approvals > tally.answers
    )


def rule_text() -> str:
    ratio = quorum_ratio()
    return _(
        "An axis is validated when at least %(quorum)s of the member organisations "
        "have answered (quorum) and more than half of the answers approve it, with "
        "or without reservations. A tie does not validate."
    ) % {"quorum": f"{ratio.numerator}/{ratio.denominator}"}

"""The commission's decision rule, stated once: used to decide when a round or
a session closes, to say on screen what the rule would give now, and to
explain the rule in words.

Each member organisation has one voice. On a proposal it validates, validates
with reservations, requests changes or rejects; an organisation present that
takes no position abstains (a session's minutes count abstentions). The
answers that count for the majority are the positions expressed (abstentions
are not), as in the French rule of *suffrages exprimés*.

1. **Quorum.** At least ``COMMISSION_QUORUM`` of the member organisations must
   take part (an abstention takes part), and at least one must express a
   position; otherwise nothing is decided: the proposal stays submitted, for
   a later session (*ajournée*).
2. **Validated** when strictly more than half of the positions expressed
   validate it, with or without reservations.
3. **Rejected** when strictly more than half of them reject it: a rejection
   is final, so it needs a majority of its own.
4. **Sent back to the atelier** otherwise: no majority validates it and none
   rejects it, so the atelier reworks it with the organisations' comments. A
   tie never validates and never rejects.

An axis is validated under rules 1 and 2; otherwise it stays proposed.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Outcome(models.TextChoices):
    VALIDATED = "validated", gettext_lazy("Validated")
    CHANGES_REQUESTED = "changes_requested", gettext_lazy("Sent back to the atelier")
    REJECTED = "rejected", gettext_lazy("Rejected")
    DEFERRED = "deferred", gettext_lazy("Deferred (no quorum)")
    NOT_VALIDATED = "not_validated", gettext_lazy("Not validated")


@dataclass(frozen=True)
class Tally:
    members: int  # member organisations of the commission when it decides
    approve: int
    reservations: int
    oppose: int  # rejects the proposal, or opposes the axis
    changes: int = 0  # requests changes (proposals)
    abstain: int = 0  # took part without expressing a position (minutes)

    @property
    def expressed(self) -> int:
        """The positions that count for the majority."""
        return self.approve + self.reservations + self.changes + self.oppose

    @property
    def answers(self) -> int:
        """The organisations that took part: the quorum counts these."""
        return self.expressed + self.abstain

    @property
    def approvals(self) -> int:
        """An approval with reservations is an approval."""
        return self.approve + self.reservations


def quorum_ratio() -> Fraction:
    return Fraction(str(settings.COMMISSION_QUORUM))


def quorum_required(members: int) -> int:
    """How many member organisations must take part (at least one)."""
    return max(1, math.ceil(members * quorum_ratio()))


def quorum_met(tally: Tally) -> bool:
    return tally.answers >= quorum_required(tally.members) and tally.expressed > 0


def is_validated(tally: Tally) -> bool:
    """Quorum reached, and strictly more than half of the positions expressed
    approve: a tie is not a majority."""
    return quorum_met(tally) and 2 * tally.approvals > tally.expressed


def outcome(tally: Tally) -> Outcome:
    """What the rule gives for a proposal (see the module's docstring)."""
    if not quorum_met(tally):
        return Outcome.DEFERRED
    if 2 * tally.approvals > tally.expressed:
        return Outcome.VALIDATED
    if 2 * tally.oppose > tally.expressed:
        return Outcome.REJECTED
    return Outcome.CHANGES_REQUESTED


def axis_outcome(tally: Tally) -> Outcome:
    return Outcome.VALIDATED if is_validated(tally) else Outcome.NOT_VALIDATED


def _quorum_text() -> str:
    ratio = quorum_ratio()
    return f"{ratio.numerator}/{ratio.denominator}"


def rule_text() -> str:
    """The rule of the axis rounds."""
    return _(
        "An axis is validated when at least %(quorum)s of the member organisations "
        "have answered (quorum) and more than half of the answers approve it, with "
        "or without reservations. A tie does not validate."
    ) % {"quorum": _quorum_text()}


def session_rule_text() -> str:
    """The rule of the commission's sessions, for proposals and axes."""
    return _(
        "Each member organisation has one voice. Quorum: at least %(quorum)s of "
        "the member organisations take part (an abstention takes part) and at "
        "least one expresses a position; without it the item is deferred to a "
        "later session. A proposal is validated when more than half of the "
        "positions expressed validate it, with or without reservations; rejected "
        "when more than half reject it; otherwise it goes back to the atelier "
        "with the organisations' comments. A tie neither validates nor rejects. "
        "An axis is validated under the same quorum and majority; otherwise it "
        "stays proposed."
    ) % {"quorum": _quorum_text()}


def figures_text(tally: Tally) -> str:
    """The tally in words, as stored with a decision."""
    return _(
        "%(answers)s of %(members)s member organisations took part: "
        "%(approve)s validate, %(reservations)s with reservations, "
        "%(changes)s request changes, %(oppose)s against, %(abstain)s abstain."
    ) % {
        "answers": tally.answers,
        "members": tally.members,
        "approve": tally.approve,
        "reservations": tally.reservations,
        "changes": tally.changes,
        "oppose": tally.oppose,
        "abstain": tally.abstain,
    }

"""What the journal records about validation rounds, sessions, positions and
decisions (see audit.verbs). A value is stored in the journal as is: never
change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs, register_status_labels

from .models import AxisPosition, ItemPosition


class CommissionVerb(Verbs):
    ROUND_OPEN = "round_open", _("Validation round opened")
    ROUND_CLOSE = "round_close", _("Validation round closed")
    POSITION = "position", _("Position recorded")
    AXIS_DECISION = "axis_decision", _("Axis decision")
    SESSION_CONVENE = "sitting_convene", _("Commission session convened")
    SESSION_CHANGE = "sitting_change", _("Commission session changed")
    ITEM_POSITION = "item_position", _("Position on an agenda item recorded")
    ITEM_MINUTES = "item_minutes", _("Tally from the minutes recorded")
    SESSION_CLOSE = "sitting_close", _("Commission session closed")


# A recorded position goes from one of the member's positions to another, not
# from a status of the round to another.
register_status_labels(CommissionVerb.POSITION, AxisPosition.Position)
register_status_labels(CommissionVerb.ITEM_POSITION, ItemPosition.Position)

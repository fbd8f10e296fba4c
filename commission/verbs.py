"""What the journal records about validation rounds, positions and axis decisions (see
audit.verbs). A value is stored in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs, register_status_labels

from .models import AxisPosition


class CommissionVerb(Verbs):
    ROUND_OPEN = "round_open", _("Validation round opened")
    ROUND_CLOSE = "round_close", _("Validation round closed")
    POSITION = "position", _("Position recorded")
    AXIS_DECISION = "axis_decision", _("Axis decision")


# A recorded position goes from one of the member's positions to another, not
# from a status of the round to another.
register_status_labels(CommissionVerb.POSITION, AxisPosition.Position)

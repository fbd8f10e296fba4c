"""What the journal records about an atelier's proposals, members, sessions and enjeux
(see audit.verbs). A value is stored in the journal as is: never change one that was
used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class AteliersVerb(Verbs):
    SUBMIT = "submit", _("Submitted to the commission")
    WITHDRAW = "withdraw", _("Withdrawn")
    VALIDATE = "validate", _("Validated")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    REJECT = "reject", _("Rejected")
    MEMBER_ADD = "member_add", _("Volunteer added to an atelier")
    MEMBER_REMOVE = "member_remove", _("Volunteer removed from an atelier")
    SESSION_PLAN = "session_plan", _("Session planned")
    SESSION_CHANGE = "session_change", _("Session changed")
    SESSION_RECORD = "session_record", _("Attendance and minutes recorded")
    ENJEU_ADD = "enjeu_add", _("Enjeu added")
    ENJEU_CHANGE = "enjeu_change", _("Enjeu changed")
    ENJEU_MOVE = "enjeu_move", _("Enjeu moved")
    SUGGESTION_MAKE = "suggestion_make", _("Change suggested")
    SUGGESTION_ACCEPT = "suggestion_accept", _("Suggested change accepted")
    SUGGESTION_DECLINE = "suggestion_decline", _("Suggested change declined")
    ATTACHMENT_ADD = "attachment_add", _("File attached")
    ATTACHMENT_REMOVE = "attachment_remove", _("Attached file removed")
    SIGNAL_READY = "signal_ready", _("Signalled ready to submit")

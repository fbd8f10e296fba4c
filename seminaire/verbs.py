"""What the journal records about seminars and their invitations (see audit.verbs). A
value is stored in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class SeminaireVerb(Verbs):
    EVENT_CREATE = "event_create", _("Seminar created")
    EVENT_CHANGE = "event_change", _("Seminar changed")
    INVITATION_ADD = "invitation_add", _("Guests invited")
    INVITATION_CHANGE = "invitation_change", _("Invitation changed")
    INVITATION_REMOVE = "invitation_remove", _("Invitation removed")
    INVITATION_SEND = "invitation_send", _("Invitations sent")
    INVITATION_REMIND = "invitation_remind", _("Reminder sent")
    INVITATION_REPLY = "invitation_reply", _("Reply to an invitation")
    GUEST_PURGE = "guest_purge", _("Guest's personal data erased")

"""What the journal records about calendar addresses (see audit.verbs). A value
is stored in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class CalendarsVerb(Verbs):
    FEED_RENEW = "calendar_renew", _("Calendar address renewed")

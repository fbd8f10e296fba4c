"""What the journal records about the site actions (see audit.verbs). A value is stored
in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class DeclinaisonVerb(Verbs):
    ACTION_CREATE = "action_create", _("Site action created")
    ACTION_CHANGE = "action_change", _("Site action changed")
    ACTION_PROGRESS = "action_progress", _("Progress of a site action")

"""What the journal records about the experience sheets and their review (see
audit.verbs). A value is stored in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class CapitalisationVerb(Verbs):
    SHEET_CREATE = "sheet_create", _("Experience sheet written")
    SHEET_CHANGE = "sheet_change", _("Experience sheet changed")
    SHEET_SUBMIT = "sheet_submit", _("Experience sheet sent for review")
    SHEET_PUBLISH = "sheet_publish", _("Experience sheet published")
    SHEET_RETURN = "sheet_return", _("Experience sheet returned to its author")
    PHOTO_ADD = "sheet_photo_add", _("Photo added to an experience sheet")
    PHOTO_REMOVE = "sheet_photo_remove", _("Photo removed from an experience sheet")

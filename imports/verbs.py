"""What the journal records about spreadsheet imports (see audit.verbs). A
value is stored in the journal as is: never change one that was used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class ImportsVerb(Verbs):
    IMPORT = "spreadsheet_import", _("Imported from a spreadsheet")
    UNDO = "spreadsheet_import_undo", _("Spreadsheet import undone")

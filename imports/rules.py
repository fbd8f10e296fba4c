"""Who may import spreadsheets. Default deny.

An import creates accounts, organisations and seminar guests, all of them
personal data or the portal's reference lists: the AMO2SM secretariat (and a
superuser) alone imports, previews and undoes. An uploaded file waiting for its
confirmation is its uploader's only (imports.views).
"""

import rules

from people.rules import is_secretariat

rules.add_perm("imports.import_spreadsheet", is_secretariat)
rules.add_perm("imports.undo_import", is_secretariat)

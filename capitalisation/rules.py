"""Who may read and write experience sheets. Default deny: a permission not
listed here is refused to everyone but superusers (through Django's
ModelBackend).

- A published sheet is read by every signed-in person, partners included:
  capitalisation is for sharing.
- Before that (draft, awaiting review, returned) it is read by its author, by
  the staff of its organisation (the experience is their organisation's: a
  colleague can check the facts before the secretariat does) and by the
  secretariat. It is written by its author only.
- Any landlord staff member writes sheets, and so does the secretariat.
- The secretariat reviews: it publishes a sheet or returns it with a comment.
  Once published, only the secretariat edits it (an author's edit would take it
  out of the library while it is reviewed again; the author asks the
  secretariat instead, with the contact on the sheet).

Visibility is written once, as a Q object in models.py
(``sheet_visibility_q``), used by ``ExperienceSheet.objects.visible_to``
(lists); the ``view_sheet`` permission below reads the same rule for one sheet.
"""

import rules

from people.rules import (
    is_authenticated,
    is_landlord_staff,
    is_secretariat,
    landlord_staff,
)

from .models import ExperienceSheet

Status = ExperienceSheet.Status


@rules.predicate
def can_read_sheet(user, sheet) -> bool:
    if sheet is None or not user.is_authenticated:
        return False
    return (
        sheet.status == Status.PUBLISHED
        or sheet.author_id == user.pk
        or is_secretariat(user)
        or (landlord_staff(user) and sheet.organisation_id == user.organisation_id)
    )


@rules.predicate
def is_sheet_author(user, sheet) -> bool:
    return sheet is not None and user.is_authenticated and sheet.author_id == user.pk


@rules.predicate
def in_author_hands(user, sheet) -> bool:
    return sheet is not None and sheet.status in ExperienceSheet.AUTHOR_STATUSES


@rules.predicate
def in_secretariat_hands(user, sheet) -> bool:
    return sheet is not None and sheet.status in ExperienceSheet.SECRETARIAT_STATUSES


@rules.predicate
def is_awaiting_review(user, sheet) -> bool:
    return sheet is not None and sheet.status == Status.SUBMITTED


can_write = is_landlord_staff | is_secretariat

rules.add_perm("capitalisation.view_library", is_authenticated)
rules.add_perm("capitalisation.view_sheet", can_read_sheet)
rules.add_perm("capitalisation.add_sheet", can_write)
rules.add_perm(
    "capitalisation.change_sheet",
    (is_sheet_author & in_author_hands) | (is_secretariat & in_secretariat_hands),
)
rules.add_perm("capitalisation.submit_sheet", is_sheet_author & in_author_hands)
rules.add_perm("capitalisation.review_sheets", is_secretariat)
rules.add_perm("capitalisation.review_sheet", is_secretariat & is_awaiting_review)
# A sheet's photos (cucs_portal/attachments.py) are seen by whoever reads the
# sheet, and added or removed by its author while it is in their hands, and by
# the secretariat.
rules.add_perm(
    "capitalisation.change_sheet_photos",
    (is_sheet_author & in_author_hands) | is_secretariat,
)

"""Every write on experience sheets.

Views call these; none of them changes a status or a version itself. Each
service runs in a transaction, locks the sheet it changes, checks its current
state, bumps its version and records who did it in the journal.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from cucs_portal import attachments, records
from cucs_portal.models import Attachment
from cucs_portal.records import apply_fields, apply_m2m, changed_fields, check_version

from . import notifications
from .models import ExperienceSheet
from .verbs import CapitalisationVerb

Status = ExperienceSheet.Status

# What the sheet form edits, in the order people read a sheet.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "axis",
    "what_was_done",
    "results",
    "lessons",
    "period",
    "territories",
    "organisation",
    "other_organisations",
    "proposals",
    "contact_name",
    "contact_email",
    "contact_phone",
)
M2M_FIELDS = ("territories", "other_organisations", "proposals")


class TransitionNotAllowed(records.TransitionNotAllowed):
    model = ExperienceSheet
    message_text = gettext_lazy("This is not possible on a sheet that is “%(status)s”.")


class CommentRequired(ValueError):
    """Returning a sheet without saying what to change."""


def may_choose_any_organisation(user) -> bool:
    """The secretariat files a sheet under any organisation; an author under
    their own (or the one the sheet already has)."""
    return user.is_secretariat or user.is_superuser


def _check_organisation(user, data: dict, current=None) -> None:
    organisation = data.get("organisation")
    if organisation is None or may_choose_any_organisation(user):
        return
    allowed = {user.organisation_id, current.organisation_id if current else None}
    if organisation.pk not in allowed:
        raise ValidationError(
            {"organisation": _("Write the sheet for your own organisation.")}
        )


@transaction.atomic
def sheet_create(*, author, data: dict) -> ExperienceSheet:
    """A new draft written by ``author``; only they (and their colleagues, who
    read it) see it until they send it for review."""
    _check_organisation(author, data)
    sheet = ExperienceSheet(author=author, status=Status.DRAFT, version=1)
    apply_fields(sheet, data, EDITABLE_FIELDS)
    sheet.full_clean()
    sheet.save()
    apply_m2m(sheet, data, EDITABLE_FIELDS)
    AuditEvent.record(
        actor=author,
        target=sheet,
        action=CapitalisationVerb.SHEET_CREATE,
        to_status=sheet.status,
    )
    return sheet


@transaction.atomic
def sheet_update(
    *, sheet: ExperienceSheet, editor, data: dict, base_version: int
) -> ExperienceSheet:
    """Save an edit made on ``base_version``. Refused with EditConflict when
    someone else saved in between, so that no edit silently overwrites another.
    A published sheet stays published: only the secretariat edits it."""
    current = ExperienceSheet.objects.select_for_update().get(pk=sheet.pk)
    if current.status not in ExperienceSheet.EDITABLE_STATUSES:
        raise TransitionNotAllowed(current.status, "edit")
    check_version(current, base_version)
    if not changed_fields(current, data, EDITABLE_FIELDS):
        # Saving an unchanged form touches nothing: no version, no journal entry.
        return current
    _check_organisation(editor, data, current)
    apply_fields(current, data, EDITABLE_FIELDS)
    current.full_clean()
    current.version += 1
    current.save()
    apply_m2m(current, data, EDITABLE_FIELDS)
    AuditEvent.record(
        actor=editor, target=current, action=CapitalisationVerb.SHEET_CHANGE
    )
    return current


def _transition(*, sheet, acting_user, allowed_from, to, action, comment="", notify):
    """The kernel's transition (records.transition) with what a sheet adds: when
    it was sent for review, or who reviewed it, when, and what they said."""

    def dates(current) -> dict:
        now = timezone.now()
        if to == Status.SUBMITTED:
            return {"submitted_at": now}
        fields = {
            "reviewed_by": acting_user,
            "reviewed_at": now,
            "review_comment": comment,
        }
        if to == Status.PUBLISHED:
            fields["published_at"] = now
        return fields

    return records.transition(
        sheet,
        to=to,
        allowed_from=allowed_from,
        action=action,
        actor=acting_user,
        record=AuditEvent.record,
        comment=comment,
        apply=dates,
        notify=notify,
        refused=TransitionNotAllowed,
    )


@transaction.atomic
def sheet_submit(*, sheet: ExperienceSheet, acting_user) -> ExperienceSheet:
    """The author sends a draft (or a returned sheet) to the secretariat."""
    return _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from=ExperienceSheet.AUTHOR_STATUSES,
        to=Status.SUBMITTED,
        action=CapitalisationVerb.SHEET_SUBMIT,
        notify=lambda current: notifications.sheet_submitted(sheet=current),
    )


@transaction.atomic
def sheet_publish(
    *, sheet: ExperienceSheet, acting_user, comment: str = ""
) -> ExperienceSheet:
    """The secretariat publishes a sheet it has reviewed: everyone reads it."""
    return _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from={Status.SUBMITTED},
        to=Status.PUBLISHED,
        action=CapitalisationVerb.SHEET_PUBLISH,
        comment=(comment or "").strip(),
        notify=lambda current: notifications.sheet_reviewed(sheet=current),
    )


@transaction.atomic
def sheet_return(
    *, sheet: ExperienceSheet, acting_user, comment: str
) -> ExperienceSheet:
    """The secretariat returns a sheet to its author, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise CommentRequired("return")
    return _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from={Status.SUBMITTED},
        to=Status.RETURNED,
        action=CapitalisationVerb.SHEET_RETURN,
        comment=comment,
        notify=lambda current: notifications.sheet_reviewed(sheet=current),
    )


# --- Photos --------------------------------------------------------------------


class PhotoNotAllowed(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _lock_for_photos(sheet, acting_user) -> ExperienceSheet:
    sheet = ExperienceSheet.objects.select_for_update().get(pk=sheet.pk)
    if not acting_user.has_perm("capitalisation.change_sheet_photos", sheet):
        raise PhotoNotAllowed(
            _(
                "The photos of a sheet that is “%(status)s” are changed by the "
                "secretariat."
            )
            % {"status": sheet.get_status_display()}
        )
    return sheet


def sheet_photo_add(*, sheet: ExperienceSheet, checked, acting_user):
    """Adds the checked (re-encoded) image to ``sheet``'s photos, audited."""
    with transaction.atomic():
        sheet = _lock_for_photos(sheet, acting_user)
        # The journal first, the file last: once the file is written,
        # only its row remains to be saved (attach removes the file if not).
        AuditEvent.record(
            actor=acting_user,
            target=sheet,
            action=CapitalisationVerb.PHOTO_ADD,
            comment=checked.name,
        )
        photo = attachments.attach(obj=sheet, checked=checked, user=acting_user)
    return photo


def sheet_photo_remove(*, sheet: ExperienceSheet, photo, acting_user) -> None:
    with transaction.atomic():
        sheet = _lock_for_photos(sheet, acting_user)
        photo = Attachment.objects.select_for_update().get(pk=photo.pk)
        name = photo.original_name
        attachments.detach(photo)
        AuditEvent.record(
            actor=acting_user,
            target=sheet,
            action=CapitalisationVerb.PHOTO_REMOVE,
            comment=name,
        )

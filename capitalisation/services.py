"""Every write on experience sheets.

Views call these; none of them changes a status or a version itself. Each
service runs in a transaction, locks the sheet it changes, checks its current
state, bumps its version and records who did it in the journal.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent

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
# Its author works on a sheet while it is a draft or returned to them; the
# secretariat corrects it while reviewing it and once it is published.
AUTHOR_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
SECRETARIAT_STATUSES = frozenset({Status.SUBMITTED, Status.PUBLISHED})
EDITABLE_STATUSES = AUTHOR_STATUSES | SECRETARIAT_STATUSES


class TransitionNotAllowed(Exception):
    def __init__(self, status: str, action: str):
        self.status, self.action = status, action
        super().__init__(f"{action} not allowed from {status}")

    @property
    def message(self) -> str:
        return _("This is not possible on a sheet that is “%(status)s”.") % {
            "status": Status(self.status).label
        }


class CommentRequired(ValueError):
    """Returning a sheet without saying what to change."""


@dataclass
class EditConflict(Exception):
    """Someone saved the sheet since this person opened it."""

    current: ExperienceSheet
    base_version: int


def _apply(sheet: ExperienceSheet, data: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in data and name not in M2M_FIELDS:
            setattr(sheet, name, data[name])


def _apply_m2m(sheet: ExperienceSheet, data: dict) -> None:
    for name in M2M_FIELDS:
        if name in data:
            getattr(sheet, name).set(data[name])


def _differs(sheet: ExperienceSheet, data: dict) -> bool:
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        if name in M2M_FIELDS:
            before = {obj.pk for obj in getattr(sheet, name).all()}
            if before != {obj.pk for obj in data[name]}:
                return True
        elif getattr(sheet, name) != data[name]:
            return True
    return False


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
    _apply(sheet, data)
    sheet.full_clean()
    sheet.save()
    _apply_m2m(sheet, data)
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
    if current.status not in EDITABLE_STATUSES:
        raise TransitionNotAllowed(current.status, "edit")
    if current.version != base_version:
        raise EditConflict(current=current, base_version=base_version)
    if not _differs(current, data):
        # Saving an unchanged form touches nothing: no version, no journal entry.
        return current
    _check_organisation(editor, data, current)
    _apply(current, data)
    current.full_clean()
    current.version += 1
    current.save()
    _apply_m2m(current, data)
    AuditEvent.record(
        actor=editor, target=current, action=CapitalisationVerb.SHEET_CHANGE
    )
    return current


def _transition(*, sheet, acting_user, allowed_from, to, action, comment=""):
    """Move a sheet from one of ``allowed_from`` to ``to`` under a row lock, so
    that two people clicking at the same moment produce exactly one transition."""
    current = ExperienceSheet.objects.select_for_update().get(pk=sheet.pk)
    if current.status not in allowed_from:
        raise TransitionNotAllowed(current.status, action)
    from_status, now = current.status, timezone.now()
    current.status = to
    current.version += 1
    fields = ["status", "version", "updated_at"]
    if to == Status.SUBMITTED:
        current.submitted_at = now
        fields.append("submitted_at")
    else:
        current.reviewed_by, current.reviewed_at = acting_user, now
        current.review_comment = comment
        fields += ["reviewed_by", "reviewed_at", "review_comment"]
        if to == Status.PUBLISHED:
            current.published_at = now
            fields.append("published_at")
    current.save(update_fields=fields)
    AuditEvent.record(
        actor=acting_user,
        target=current,
        action=action,
        from_status=from_status,
        to_status=to,
        comment=comment,
    )
    return current


@transaction.atomic
def sheet_submit(*, sheet: ExperienceSheet, acting_user) -> ExperienceSheet:
    """The author sends a draft (or a returned sheet) to the secretariat."""
    sheet = _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from=AUTHOR_STATUSES,
        to=Status.SUBMITTED,
        action=CapitalisationVerb.SHEET_SUBMIT,
    )
    notifications.sheet_submitted(sheet=sheet)
    return sheet


@transaction.atomic
def sheet_publish(
    *, sheet: ExperienceSheet, acting_user, comment: str = ""
) -> ExperienceSheet:
    """The secretariat publishes a sheet it has reviewed: everyone reads it."""
    sheet = _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from={Status.SUBMITTED},
        to=Status.PUBLISHED,
        action=CapitalisationVerb.SHEET_PUBLISH,
        comment=(comment or "").strip(),
    )
    notifications.sheet_reviewed(sheet=sheet)
    return sheet


@transaction.atomic
def sheet_return(
    *, sheet: ExperienceSheet, acting_user, comment: str
) -> ExperienceSheet:
    """The secretariat returns a sheet to its author, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise CommentRequired("return")
    sheet = _transition(
        sheet=sheet,
        acting_user=acting_user,
        allowed_from={Status.SUBMITTED},
        to=Status.RETURNED,
        action=CapitalisationVerb.SHEET_RETURN,
        comment=comment,
    )
    notifications.sheet_reviewed(sheet=sheet)
    return sheet

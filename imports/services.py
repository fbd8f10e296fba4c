"""Uploading, confirming and undoing an import (the reading, checking and
running is cucs_portal.spreadsheets'). The journal records each import and
each undo, on the ImportBatch, inside the same transaction."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEvent
from cucs_portal.attachments import clean_filename
from cucs_portal.spreadsheets import (
    Blocker,
    ImportReport,
    MappedSheet,
    read_upload,
    references_to,
    run_import,
)

from .kinds import KINDS
from .models import ImportBatch, PendingImport
from .verbs import ImportsVerb


def pending_expired_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS)


def pending_expired_delete() -> int:
    """The uploaded files nobody confirmed within ``IMPORT_PENDING_HOURS``
    (they hold people's names and addresses): deleted, each night by the
    worker's retention run. Returns how many."""
    deleted, _ = PendingImport.objects.filter(
        created_at__lt=pending_expired_before()
    ).delete()
    return deleted


def mapped_sheet(pending: PendingImport) -> MappedSheet:
    """The pending file, read and checked again (SpreadsheetError)."""
    return read_upload(bytes(pending.content), KINDS[pending.kind].columns)


@transaction.atomic
def pending_create(*, user, kind: str, data: bytes, filename: str, event=None):
    """Keep an uploaded file (read and checked by the upload form) for its
    preview and confirmation. The uploader's other waiting files, and
    everyone's stale ones, go."""
    PendingImport.objects.filter(uploaded_by=user).delete()
    PendingImport.objects.filter(created_at__lt=pending_expired_before()).delete()
    return PendingImport.objects.create(
        kind=kind,
        uploaded_by=user,
        event=event,
        filename=clean_filename(filename),
        content=data,
    )


def preview(pending: PendingImport) -> ImportReport:
    """The dry run: every row as the import would take it, nothing written."""
    mapped = mapped_sheet(pending)
    resource = KINDS[pending.kind].resource(event=pending.event, lines=mapped.lines)
    return run_import(resource, mapped, dry_run=True)


class ImportRefused(Exception):
    """Some row cannot be imported: nothing was written. ``report`` says which."""

    def __init__(self, report: ImportReport):
        super().__init__("import refused")
        self.report = report


class PendingGone(Exception):
    """The file was imported meanwhile (the same confirmation sent twice)."""


def import_confirm(*, pending: PendingImport, acting_user) -> ImportBatch:
    """Import the pending file, all or nothing: one transaction, rolled back
    if any row is refused (ImportRefused with the report). The file is
    consumed; the batch and its journal entry are written with the rows."""
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        )
        if pending is None:
            raise PendingGone
        mapped = mapped_sheet(pending)
        spec = KINDS[pending.kind]
        resource = spec.resource(event=pending.event, lines=mapped.lines)
        report = run_import(resource, mapped, dry_run=False)
        if not report.has_errors and not report.new:
            report.errors.append(
                _("Nothing to import: every row is already in the portal.")
            )
        if report.has_errors:
            raise ImportRefused(report)
        batch = ImportBatch.objects.create(
            kind=pending.kind,
            event=pending.event,
            filename=pending.filename,
            created_by=acting_user,
            created_count=report.new,
            skipped_count=report.skipped,
            object_ids=report.created_ids,
        )
        AuditEvent.record(
            actor=acting_user,
            target=batch,
            action=ImportsVerb.IMPORT,
            comment=_import_comment(batch),
        )
        pending.delete()
    return batch


def _import_comment(batch: ImportBatch) -> str:
    created = ngettext(
        "%(count)s row created", "%(count)s rows created", batch.created_count
    ) % {"count": batch.created_count}
    skipped = ngettext(
        "%(count)s duplicate skipped",
        "%(count)s duplicates skipped",
        batch.skipped_count,
    ) % {"count": batch.skipped_count}
    parts = [batch.filename, created, skipped]
    if batch.event_id:
        parts.insert(0, str(batch.event))
    return " · ".join(parts)


def last_batch(kind: str, event_id: int | None) -> ImportBatch | None:
    """The latest import of this kind (of this seminar, for guests)."""
    return (
        ImportBatch.objects.of_scope(kind, event_id)
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class UndoRefused(Exception):
    """The import cannot be undone: ``message``, and ``blockers``, each
    object that is no longer removable with the reason."""

    message: str
    blockers: list = field(default_factory=list)


@transaction.atomic
def import_undo(*, batch: ImportBatch, acting_user) -> int:
    """Delete what ``batch`` created, all or nothing: only the last import of
    its kind (and seminar), not undone yet, and only if nothing else refers
    to what it created since (an account used, an organisation someone works
    for, an invitation sent). Returns how many objects were deleted; objects
    deleted by hand meanwhile are left out."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_undone:
        raise UndoRefused(_("This import has already been undone."))
    latest = last_batch(batch.kind, batch.event_id)
    if latest is None or latest.pk != batch.pk:
        raise UndoRefused(
            _("Only the last import of its kind can be undone; this one is older.")
        )
    spec = KINDS[batch.kind]
    objects = list(
        spec.model._base_manager.select_for_update().filter(pk__in=batch.object_ids)
    )
    blockers = references_to(spec.model, [obj.pk for obj in objects])
    blocked = {blocker.obj.pk for blocker in blockers}
    for obj in objects:
        reason = spec.resource_class.undo_blocker(obj)
        if reason and obj.pk not in blocked:
            blockers.append(Blocker(obj, reason))
    if blockers:
        raise UndoRefused(
            ngettext(
                "Nothing was undone: %(count)s row of this import can no longer "
                "be removed.",
                "Nothing was undone: %(count)s rows of this import can no longer "
                "be removed.",
                len(blockers),
            )
            % {"count": len(blockers)},
            sorted(blockers, key=lambda b: batch.object_ids.index(b.obj.pk)),
        )
    deleted = len(objects)
    spec.model._base_manager.filter(pk__in=[obj.pk for obj in objects]).delete()
    batch.undone_at = timezone.now()
    batch.undone_by = acting_user
    batch.save(update_fields=["undone_at", "undone_by"])
    AuditEvent.record(
        actor=acting_user,
        target=batch,
        action=ImportsVerb.UNDO,
        comment=ngettext("%(count)s row removed", "%(count)s rows removed", deleted)
        % {"count": deleted},
    )
    return deleted

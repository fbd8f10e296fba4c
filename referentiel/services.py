"""Every write on the référentiel: editions, their proposals, publishing, PDFs
and share links. Each runs in a transaction, locks what it changes, checks the
current state and leaves a trace in the journal."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from cucs_portal import leases, records, texts
from cucs_portal.collation import french_key
from cucs_portal.records import check_version
from people.rules import is_commission_member

from . import content as edition_content
from . import formats as editable
from . import notifications
from .models import (
    Edition,
    EditionEntry,
    EditionFile,
    Rendition,
    Review,
    ReviewAnswer,
    ReviewComment,
    ShareLink,
)
from .verbs import ReferentielVerb

EDITION_FIELDS = ("title", "place", "event_date", "introduction")


class EditionNotDraft(records.TransitionNotAllowed):
    """Published editions are read-only."""

    model = Edition
    message_text = gettext_lazy(
        "This edition is published: it can no longer be changed."
    )


def _locked(edition) -> Edition:
    return Edition.objects.select_for_update().get(pk=edition.pk)


def _require_draft(edition, action: str = "edit"):
    if not edition.is_draft:
        raise EditionNotDraft(edition.status, action)


@transaction.atomic
def edition_create(*, user, data: dict, based_on: Edition | None = None) -> Edition:
    edition = Edition.objects.create(
        created_by=user,
        based_on=based_on,
        title=data["title"],
        place=data.get("place") or "",
        event_date=data.get("event_date"),
        introduction=data.get("introduction") or "",
    )
    if based_on is not None:
        EditionEntry.objects.bulk_create(
            EditionEntry(
                edition=edition,
                proposal_id=entry.proposal_id,
                included=entry.included,
                position=entry.position,
            )
            for entry in based_on.entries.all()
        )
    AuditEvent.record(
        actor=user,
        target=edition,
        action=ReferentielVerb.EDITION_CREATE,
        to_status=edition.status,
        comment=(
            _("Started from “%(title)s”.") % {"title": based_on.title}
            if based_on
            else ""
        ),
    )
    return edition


def edition_start_from(*, user, source: Edition) -> Edition:
    """A new draft with the choices of ``source`` (a published edition, usually)."""
    data = {field: getattr(source, field) for field in EDITION_FIELDS}
    data["title"] = _("%(title)s (new edition)") % {"title": source.title}
    return edition_create(user=user, data=data, based_on=source)


@transaction.atomic
def edition_update(*, user, edition: Edition, data: dict, base_version: int) -> Edition:
    locked = _locked(edition)
    _require_draft(locked)
    check_version(locked, base_version)
    changed = [f for f in EDITION_FIELDS if getattr(locked, f) != data.get(f)]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, data.get(field))
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    AuditEvent.record(
        actor=user,
        target=locked,
        action=ReferentielVerb.EDITION_CHANGE,
        comment=", ".join(
            str(Edition._meta.get_field(f).verbose_name) for f in changed
        ),
    )
    return locked


def _enjeu_rows(edition, proposal):
    """The proposals of ``proposal``'s enjeu in this edition's order."""
    return [
        row
        for row in edition_content.proposals_in_order(edition)
        if row[0].enjeu_id == proposal.enjeu_id
    ]


@transaction.atomic
def entry_set_included(*, user, edition: Edition, proposal, included: bool):
    locked = _locked(edition)
    _require_draft(locked)
    entry, created = EditionEntry.objects.get_or_create(
        edition=locked,
        proposal=proposal,
        defaults={"included": included, "position": proposal.number},
    )
    if not created and entry.included == included:
        return entry
    if not created:
        entry.included = included
        entry.save(update_fields=["included"])
    AuditEvent.record(
        actor=user,
        target=locked,
        action=(
            ReferentielVerb.EDITION_INCLUDE
            if included
            else ReferentielVerb.EDITION_EXCLUDE
        ),
        comment=str(proposal),
    )
    return entry


@transaction.atomic
def entry_move(*, user, edition: Edition, proposal, offset: int) -> bool:
    """Move ``proposal`` one place up (-1) or down (+1) among the proposals of its
    enjeu. Returns False when it is already first or last."""
    locked = _locked(edition)
    _require_draft(locked)
    rows = _enjeu_rows(locked, proposal)
    ids = [p.pk for p, _entry in rows]
    if proposal.pk not in ids:
        raise ValidationError(_("This proposal is not validated any more."))
    index = ids.index(proposal.pk)
    target = index + offset
    if not 0 <= target < len(ids):
        return False
    # The places of an enjeu are its proposals' numbers, given out in the
    # current order with the two swapped: distinct whatever happened before,
    # and a proposal validated later lands where its number puts it.
    order = [row_proposal for row_proposal, _entry in rows]
    order[index], order[target] = order[target], order[index]
    entries = {row_proposal.pk: entry for row_proposal, entry in rows if entry}
    places = sorted(row_proposal.number for row_proposal in order)
    for place, row_proposal in zip(places, order, strict=True):
        entry = entries.get(row_proposal.pk) or EditionEntry(
            edition=locked, proposal=row_proposal, included=True
        )
        if entry.pk is None or entry.position != place:
            entry.position = place
            entry.save()
    AuditEvent.record(
        actor=user,
        target=locked,
        action=ReferentielVerb.EDITION_MOVE,
        comment=_("%(proposal)s moved to place %(place)s in its enjeu.")
        % {"proposal": proposal, "place": target + 1},
    )
    return True


# How long a PDF may wait for the worker before it may be asked for again.
QUEUE_PATIENCE = timedelta(minutes=10)
# A render whose worker died is queued again by the next worker this many
# times in all; then it is failed, for someone to look at.
RENDER_ATTEMPTS = 3


def _lease_expired() -> Q:
    """Renders whose worker stopped beating: it died (killed, out of memory,
    the machine restarted). A row from before leases has only its start."""
    cutoff = leases.expired_before()
    return Q(status=Rendition.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def rendition_is_interrupted(rendition: Rendition) -> bool:
    """A render whose worker died: its lease expired."""
    if rendition.status != Rendition.Status.RUNNING:
        return False
    last_sign = rendition.heartbeat_at or rendition.started_at
    return last_sign is None or last_sign < leases.expired_before()


def rendition_is_stale(rendition: Rendition) -> bool:
    """A render whose worker died (its lease expired), or one waiting far
    longer than the queue should take (the worker is stopped, or the task was
    lost): it may be asked for again at once."""
    if rendition.status == Rendition.Status.RUNNING:
        return rendition_is_interrupted(rendition)
    if rendition.status == Rendition.Status.QUEUED:
        return rendition.requested_at < timezone.now() - QUEUE_PATIENCE
    return False


def _retry(rendition: Rendition, user) -> None:
    """Queue ``rendition`` again (locked by the caller)."""
    from .tasks import render_rendition

    rendition.status = Rendition.Status.QUEUED
    rendition.stage = Rendition.Stage.WAITING
    rendition.error = ""
    rendition.requested_by = user
    rendition.requested_at = timezone.now()
    rendition.save()
    pk = rendition.pk
    transaction.on_commit(lambda: render_rendition.enqueue(pk))


def renditions_rewritten(renditions) -> None:
    """An erasure rewrote these renditions' content (drafts: a published
    edition's is an archive, left as printed): their PDF files, which still
    print the erased name, are removed once the erasure commits, and each is
    queued again, so the worker makes it from the rewritten content."""
    for rendition in Rendition.objects.select_for_update().filter(
        pk__in=[rendition.pk for rendition in renditions]
    ):
        if rendition.file:
            storage, name = rendition.file.storage, rendition.file.name
            transaction.on_commit(
                lambda storage=storage, name=name: storage.delete(name)
            )
            rendition.file = ""
            rendition.sha256 = ""
            rendition.size_bytes = 0
            rendition.page_count = 0
        _retry(rendition, None)


@transaction.atomic
def recover_interrupted_work() -> dict:
    """What a worker that died while rendering left behind, found by the next
    worker when it starts. Each render whose lease expired is queued again
    (failed, saying so, after ``RENDER_ATTEMPTS``); the task rows the dead
    worker left "running" are marked failed, so none is taken as busy or run
    twice; a queued render whose only task died gets a new one. Renders of a
    live worker (lease refreshed) are left alone."""
    from .tasks import INTERRUPTED, render_rendition

    counts = {"requeued": 0, "failed": 0, "tasks_failed": 0}
    requeued = set()
    for rendition in Rendition.objects.select_for_update().filter(_lease_expired()):
        if rendition.attempts >= RENDER_ATTEMPTS:
            rendition.status = Rendition.Status.FAILED
            rendition.error = str(INTERRUPTED)
            rendition.finished_at = timezone.now()
            rendition.save()
            counts["failed"] += 1
        else:
            _retry(rendition, rendition.requested_by)
            requeued.add(rendition.pk)
            counts["requeued"] += 1
    cutoff = leases.expired_before()
    alive = set(
        Rendition.objects.filter(
            status=Rendition.Status.RUNNING, heartbeat_at__gte=cutoff
        ).values_list("pk", flat=True)
    )
    dead = [
        result
        for result in DBTaskResult.objects.running().filter(
            task_path=render_rendition.module_path, started_at__lt=cutoff
        )
        if _task_rendition(result) not in alive
    ]
    counts["tasks_failed"] = leases.fail_task_results(
        dead, "The worker rendering this PDF stopped (its lease expired)."
    )
    # A worker that died between taking up the task and starting the render
    # leaves the rendition queued with no task left to run it.
    waiting = requeued | {
        _task_rendition(result)
        for result in DBTaskResult.objects.ready().filter(
            task_path=render_rendition.module_path
        )
    }
    orphans = {_task_rendition(result) for result in dead} - waiting
    for pk in Rendition.objects.filter(
        pk__in=orphans, status=Rendition.Status.QUEUED
    ).values_list("pk", flat=True):
        transaction.on_commit(lambda pk=pk: render_rendition.enqueue(pk))
    return counts


def _task_rendition(result: DBTaskResult):
    """The rendition a render task was given (``render_rendition(pk)``)."""
    call = result.args_kwargs
    args = call.get("args", [])
    return args[0] if args else call.get("kwargs", {}).get("rendition_id")


def rendition_request(*, content: dict, user) -> Rendition:
    """The PDF of ``content``: the one already rendered or being rendered when
    the same content was asked for before, else a new render in the background."""
    from .tasks import render_rendition

    content_hash = edition_content.content_hash(content)
    with transaction.atomic():
        rendition, created = Rendition.objects.select_for_update().get_or_create(
            content_hash=content_hash,
            defaults={"content": content, "requested_by": user},
        )
        if created:
            pk = rendition.pk
            transaction.on_commit(lambda: render_rendition.enqueue(pk))
        elif rendition.status == Rendition.Status.FAILED or rendition_is_stale(
            rendition
        ):
            _retry(rendition, user)
    return rendition


@transaction.atomic
def edition_export(*, user, edition: Edition) -> Rendition:
    """Ask for the PDF of a draft as it stands now. A published edition keeps
    the PDF it was published with (and its SHA-256): only a render that failed
    or got stuck is tried again, from the same frozen content."""
    locked = _locked(edition)
    if locked.is_published and locked.rendition_id:
        rendition = Rendition.objects.select_for_update().get(pk=locked.rendition_id)
        if rendition.status == Rendition.Status.FAILED or rendition_is_stale(rendition):
            _retry(rendition, user)
        return rendition
    rendition = rendition_request(
        content=edition_content.document_content(locked), user=user
    )
    if locked.rendition_id != rendition.pk:
        locked.rendition = rendition
        locked.save(update_fields=["rendition", "updated_at"])
    return rendition


@transaction.atomic
def edition_publish(
    *,
    user,
    edition: Edition,
    open_comments_accepted: int = 0,
    published_at: datetime | None = None,
) -> Edition:
    """Freeze the edition: its content from now on is this snapshot, whatever
    later happens to the proposals; its PDF is rendered once and kept.

    Refused while more comments of its reviews are open than the person
    accepted to leave open (``open_comments_accepted``, what the page showed
    them); its review, if open, is closed.

    ``published_at`` is the moment recorded, now unless given: the demo's
    edition of May 2007 is published on its day. It goes into the frozen
    document (« Publié le … »), so it cannot be changed afterwards."""

    def freeze(locked) -> dict:
        content = edition_content.assemble(locked)
        if not edition_content.proposal_count(content):
            raise ValidationError(
                _("This edition holds no proposal: there is nothing to publish yet.")
            )
        still_open = ReviewComment.objects.filter(
            review__edition=locked, status=ReviewComment.Status.OPEN
        ).count()
        if still_open > open_comments_accepted:
            raise ValidationError(
                ngettext(
                    "%(count)s comment of the review is still open: confirm that "
                    "you publish anyway, or resolve it first.",
                    "%(count)s comments of the review are still open: confirm "
                    "that you publish anyway, or resolve them first.",
                    still_open,
                )
                % {"count": still_open}
            )
        for review in Review.objects.select_for_update().filter(
            edition=locked, closed_at__isnull=True
        ):
            _close(review, user, comment=_("Closed by the publication."))
        locked.published_at = published_at or timezone.now()
        return {
            "snapshot": content,
            "content_hash": edition_content.content_hash(content),
            "published_at": locked.published_at,
            "published_by": user,
            "rendition": rendition_request(
                content=edition_content.document_content(locked, content), user=user
            ),
        }

    return records.transition(
        edition,
        to=Edition.Status.PUBLISHED,
        allowed_from={Edition.Status.DRAFT},
        action=ReferentielVerb.EDITION_PUBLISH,
        actor=user,
        record=AuditEvent.record,
        apply=freeze,
        refused=EditionNotDraft,
    )


@transaction.atomic
def share_link_create(*, user, edition: Edition, label: str, expires_at=None):
    locked = _locked(edition)
    if not locked.is_published:
        raise ValidationError(_("Only a published edition can be shared."))
    link = ShareLink.objects.create(
        edition=locked, label=label, expires_at=expires_at, created_by=user
    )
    AuditEvent.record(
        actor=user,
        target=locked,
        action=ReferentielVerb.SHARE_CREATE,
        comment=label,
    )
    return link


@transaction.atomic
def share_link_revoke(*, user, link: ShareLink) -> ShareLink:
    locked = ShareLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        AuditEvent.record(
            actor=user,
            target=locked.edition,
            action=ReferentielVerb.SHARE_REVOKE,
            comment=locked.label,
        )
    return locked


def share_link_count_download(link: ShareLink, fmt: str = "pdf") -> None:
    """One more download through ``link``: ``download_count`` counts every
    format, ``odt_download_count`` and ``docx_download_count`` their own."""
    counts = {"download_count": F("download_count") + 1}
    if fmt in editable.FORMATS:
        counts[f"{fmt}_download_count"] = F(f"{fmt}_download_count") + 1
    ShareLink.objects.filter(pk=link.pk).update(
        **counts, last_downloaded_at=timezone.now()
    )


# --- The editable files (ODT, DOCX) ---------------------------------------------


def draft_document(edition: Edition, fmt: str) -> bytes:
    """The ODT or DOCX of a draft, from its content as it stands: made at
    each request (well under a second for the demo's 24 proposals), never
    kept, as the content may change at any time."""
    return editable.render(edition_content.document_content(edition), fmt)


@transaction.atomic
def edition_file(edition: Edition, fmt: str) -> EditionFile:
    """The ODT or DOCX of a published edition: made once from its frozen
    content on the first request and kept with its SHA-256; every later
    request gets the same file. Concurrent first requests wait on the
    edition's row, and the second finds the first one's file."""
    if not edition.is_published:
        raise ValueError("a draft's files are not kept: use draft_document")
    found = EditionFile.objects.filter(edition=edition, format=fmt).first()
    if found is not None:
        return found
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    found = EditionFile.objects.filter(edition=edition, format=fmt).first()
    if found is not None:
        return found
    started = time.perf_counter()
    data = editable.render(edition_content.document_content(edition), fmt)
    made = EditionFile(
        edition=edition,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        make_seconds=round(time.perf_counter() - started, 3),
    )
    made.file.save(f"referentiel.{fmt}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            made.save()
    except IntegrityError:
        # SQLite has no row lock: another request made the same file from
        # the same frozen content meanwhile. Keep theirs, drop ours.
        made.file.delete(save=False)
        return EditionFile.objects.get(edition=edition, format=fmt)
    except Exception:
        made.file.delete(save=False)
        raise
    return made


# --- Reviews of a draft ----------------------------------------------------------


def _close(review: Review, user, comment: str = "") -> None:
    """Close ``review`` (locked by the caller) and say so in the journal."""
    review.closed_at = timezone.now()
    review.closed_by = user
    review.save(update_fields=["closed_at", "closed_by"])
    AuditEvent.record(
        actor=user,
        target=review.edition,
        action=ReferentielVerb.REVIEW_CLOSE,
        comment=comment,
    )


@transaction.atomic
def review_open(
    *, user, edition: Edition, closes_on, partners=(), message: str = ""
) -> Review:
    """Ask the commission and ``partners`` for comments on a draft until
    ``closes_on`` (included); they are told by e-mail. One review of an
    edition is open at a time: one whose last day is past is closed first."""
    locked = _locked(edition)
    _require_draft(locked, "review")
    if closes_on < timezone.localdate():
        raise ValidationError(
            {"closes_on": _("Choose today or a later day.")}, code="past"
        )
    partners = list(partners)
    if any(not person.is_partner for person in partners):
        raise ValidationError(
            {"partners": _("Only partners can be named here.")}, code="not_partner"
        )
    current = (
        Review.objects.select_for_update()
        .filter(edition=locked, closed_at__isnull=True)
        .first()
    )
    if current is not None:
        if current.is_open:
            raise ValidationError(
                _(
                    "A review of this edition is already open, until %(date)s: "
                    "close it before opening another one."
                )
                % {"date": formats.date_format(current.closes_on, "DATE_FORMAT")},
                code="already_open",
            )
        _close(current, user, comment=_("Its last day had passed."))
    message = texts.normalise_newlines(message or "").strip()
    review = Review(
        edition=locked, closes_on=closes_on, message=message, opened_by=user
    )
    review.full_clean()
    review.save()
    review.partners.set(partners)
    names = ", ".join(sorted((str(person) for person in partners), key=french_key))
    AuditEvent.record(
        actor=user,
        target=locked,
        action=ReferentielVerb.REVIEW_OPEN,
        comment=(
            _("Until %(date)s; partners: %(names)s.")
            % {"date": formats.date_format(closes_on, "DATE_FORMAT"), "names": names}
            if names
            else _("Until %(date)s; the commission only.")
            % {"date": formats.date_format(closes_on, "DATE_FORMAT")}
        ),
    )
    notifications.review_opened(review=review)
    return review


@transaction.atomic
def review_close(*, user, review: Review) -> bool:
    """Close a review before its last day. Returns False when it was closed
    already."""
    _locked(review.edition)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.closed_at is not None:
        return False
    _close(locked, user)
    return True


def _clean_text(value: str, field: str, empty_message) -> str:
    value = texts.normalise_newlines(value or "").strip()
    if not value:
        raise ValidationError({field: empty_message}, code="required")
    if len(value) > texts.COMMENT:
        raise ValidationError(
            {
                field: _("At most %(limit)s characters: this text has %(count)s.")
                % {"limit": texts.COMMENT, "count": len(value)}
            },
            code="max_length",
        )
    return value


def review_refusal(review: Review) -> str | None:
    """Why ``review`` takes no comment, or None when it does."""
    if review.closed_at is not None:
        return _(
            "This review was closed on %(date)s: comments can no longer be left."
        ) % {
            "date": formats.date_format(
                timezone.localdate(review.closed_at), "DATE_FORMAT"
            )
        }
    if not review.is_open:
        return _("This review ended on %(date)s: comments can no longer be left.") % {
            "date": formats.date_format(review.closes_on, "DATE_FORMAT")
        }
    return None


@transaction.atomic
def comment_create(*, user, review: Review, section: str, body: str) -> ReviewComment:
    """A reviewer's comment on one section of the draft as it stands now (its
    introduction, an axis, an enjeu or a proposal it includes), while the
    review is open."""
    edition = _locked(review.edition)
    review = Review.objects.select_for_update().get(pk=review.pk)
    refusal = review_refusal(review) or (
        None if edition.is_draft else str(EditionNotDraft.message_text)
    )
    if refusal:
        raise ValidationError(refusal, code="closed")
    # The rule lets in a partner named in any review of the edition (to read
    # it and their comments); this review takes comments from the partners it
    # names only.
    if not (
        user.is_superuser
        or is_commission_member(user)
        or review.partners.filter(pk=user.pk).exists()
    ):
        raise ValidationError(
            _("This review does not ask you for comments."), code="not_invited"
        )
    sections = edition_content.sections(edition_content.assemble(edition))
    if section not in sections:
        raise ValidationError(
            {
                "section": _(
                    "This part is not in the edition (any more): choose one of "
                    "the list."
                )
            },
            code="unknown_section",
        )
    body = _clean_text(body, "body", _("Write your comment."))
    comment = ReviewComment.objects.create(
        review=review,
        section=section,
        section_label=sections[section][
            : ReviewComment._meta.get_field("section_label").max_length
        ],
        body=body,
        author=user,
    )
    AuditEvent.record(
        actor=user,
        target=edition,
        action=ReferentielVerb.REVIEW_COMMENT,
        comment=comment.section_label,
    )
    return comment


def _locked_comment(comment: ReviewComment) -> ReviewComment:
    return (
        ReviewComment.objects.select_for_update()
        .select_related("review__edition")
        .get(pk=comment.pk)
    )


@transaction.atomic
def comment_answer(*, user, comment: ReviewComment, body: str) -> ReviewAnswer:
    """The secretariat's answer to a comment; its author is told by e-mail."""
    locked = _locked_comment(comment)
    body = _clean_text(body, "body", _("Write your answer."))
    answer = ReviewAnswer.objects.create(comment=locked, body=body, author=user)
    AuditEvent.record(
        actor=user,
        target=locked.review.edition,
        action=ReferentielVerb.REVIEW_ANSWER,
        comment=locked.section_label,
    )
    notifications.comment_answered(comment=locked)
    return answer


@transaction.atomic
def comment_set_resolved(*, user, comment: ReviewComment, resolved: bool) -> bool:
    """Resolve a comment, or reopen it. Returns False when it already was."""
    locked = _locked_comment(comment)
    if locked.is_open != resolved:
        return False
    if resolved:
        locked.status = ReviewComment.Status.RESOLVED
        locked.resolved_at, locked.resolved_by = timezone.now(), user
    else:
        locked.status = ReviewComment.Status.OPEN
        locked.resolved_at, locked.resolved_by = None, None
    locked.save(update_fields=["status", "resolved_at", "resolved_by"])
    AuditEvent.record(
        actor=user,
        target=locked.review.edition,
        action=(
            ReferentielVerb.REVIEW_RESOLVE
            if resolved
            else ReferentielVerb.REVIEW_REOPEN
        ),
        comment=locked.section_label,
    )
    return True

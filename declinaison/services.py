"""Every write on site actions: declining a proposal into an action, changing
it, recording its progress. Each runs in a transaction, locks the row it
changes, checks the version the person started from and leaves a trace in the
journal."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal.records import check_version
from referentiel.models import Edition

from . import selectors
from .models import FundingLine, ProgressNote, SiteAction
from .verbs import DeclinaisonVerb

# What the action form edits; status and progress move through action_progress.
EDITABLE_FIELDS = (
    "territory",
    "title",
    "description",
    "lead_organisation",
    "starts_on",
    "ends_on",
    "budget",
)


class NotDeclinable(Exception):
    """The proposal cannot be declined from this edition (or at all)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_declinable(*, proposal: Proposal, edition: Edition | None) -> None:
    """Raise NotDeclinable unless ``proposal`` is validated and ``edition`` is
    a published edition whose frozen content holds it."""
    if proposal.status != Proposal.Status.VALIDATED:
        raise NotDeclinable(
            _(
                "Only a validated proposal can be declined into site actions; "
                "this one is “%(status)s”."
            )
            % {"status": proposal.get_status_display()}
        )
    if edition is None:
        raise NotDeclinable(
            _(
                "This proposal is in no published edition of the référentiel yet: "
                "it can be declined once an edition that holds it is published."
            )
        )
    if not edition.is_published:
        raise NotDeclinable(
            _("Choose a published edition of the référentiel, not a draft.")
        )
    if not selectors.edition_holds(edition, proposal):
        raise NotDeclinable(
            _("The edition “%(edition)s” does not hold this proposal.")
            % {"edition": edition.title}
        )


def _funding(action: SiteAction, lines) -> list[FundingLine]:
    built = []
    for line in lines or []:
        funding = FundingLine(
            action=action,
            source=line["source"],
            amount=line["amount"],
            note=line.get("note") or "",
        )
        funding.full_clean(exclude=["action"])
        built.append(funding)
    return built


def funding_total(lines) -> Decimal:
    return sum((line["amount"] for line in lines or []), Decimal(0))


@transaction.atomic
def action_create(
    *, proposal: Proposal, edition: Edition, data: dict, funding, acting_user
) -> SiteAction:
    """Decline ``proposal`` (validated, in the published ``edition``) into an
    action on one site, with its funding lines."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    edition = Edition.objects.get(pk=edition.pk)
    check_declinable(proposal=proposal, edition=edition)
    action = SiteAction(
        proposal=proposal,
        edition=edition,
        created_by=acting_user,
        status=SiteAction.Status.PLANNED,
        progress=0,
        version=1,
    )
    for name in EDITABLE_FIELDS:
        setattr(action, name, data.get(name))
    action.description = action.description or ""
    action.full_clean()
    lines = _funding(action, funding)
    action.save()
    action.partner_organisations.set(data.get("partner_organisations") or [])
    for line in lines:
        line.action = action
    FundingLine.objects.bulk_create(lines)
    AuditEvent.record(
        actor=acting_user,
        target=action,
        action=DeclinaisonVerb.ACTION_CREATE,
        to_status=action.status,
        comment=f"{proposal.reference} · {action.territory}",
    )
    return action


def _funding_rows(action) -> list[tuple]:
    return sorted(
        (line.source, line.amount, line.note) for line in action.funding_lines.all()
    )


@transaction.atomic
def action_update(
    *, action: SiteAction, data: dict, funding, base_version: int, acting_user
) -> SiteAction:
    """Save an edit made on ``base_version``; refused with EditConflict when
    someone else saved in between. The funding lines are replaced by
    ``funding``. An unchanged form saves nothing."""
    current = SiteAction.objects.select_for_update().get(pk=action.pk)
    check_version(current, base_version)
    data = {**data, "description": data.get("description") or ""}
    changed = [
        name for name in EDITABLE_FIELDS if getattr(current, name) != data.get(name)
    ]
    partners = set(data.get("partner_organisations") or [])
    if partners != set(current.partner_organisations.all()):
        changed.append("partner_organisations")
    for name in EDITABLE_FIELDS:
        setattr(current, name, data.get(name))
    current.description = current.description or ""
    current.full_clean()
    lines = _funding(current, funding)
    wanted = sorted((line.source, line.amount, line.note) for line in lines)
    if wanted != _funding_rows(current):
        changed.append("funding_lines")
    if not changed:
        return current
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    current.partner_organisations.set(partners)
    if "funding_lines" in changed:
        current.funding_lines.all().delete()
        FundingLine.objects.bulk_create(lines)
    AuditEvent.record(
        actor=acting_user,
        target=current,
        action=DeclinaisonVerb.ACTION_CHANGE,
        comment=", ".join(_field_label(name) for name in changed),
    )
    return current


def _field_label(name: str) -> str:
    if name == "funding_lines":
        return str(FundingLine._meta.verbose_name_plural)
    return str(SiteAction._meta.get_field(name).verbose_name)


@transaction.atomic
def action_progress(
    *,
    action: SiteAction,
    status: str,
    progress: int,
    body: str,
    base_version: int,
    acting_user,
) -> ProgressNote:
    """Record where an action stands: its new status and percentage, with a
    note kept in its history. A done action is at 100 %."""
    current = SiteAction.objects.select_for_update().get(pk=action.pk)
    check_version(current, base_version)
    if status == SiteAction.Status.DONE:
        progress = 100
    note = ProgressNote(
        action=current,
        author=acting_user,
        body=(body or "").replace("\r\n", "\n").strip(),
        status=status,
        progress=progress,
    )
    note.full_clean()
    if not note.body and status == current.status and progress == current.progress:
        raise ValidationError(
            {
                "body": _(
                    "Nothing changed: write a note, or change the status or the "
                    "progress."
                )
            }
        )
    from_status = current.status
    current.status, current.progress = status, progress
    current.version = F("version") + 1
    current.save(update_fields=["status", "progress", "version", "updated_at"])
    current.refresh_from_db()
    note.save()
    AuditEvent.record(
        actor=acting_user,
        target=current,
        action=DeclinaisonVerb.ACTION_PROGRESS,
        from_status=from_status,
        to_status=status,
        comment=f"{progress} %" + (f" · {note.body[:200]}" if note.body else ""),
    )
    return note

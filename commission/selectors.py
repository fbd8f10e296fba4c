"""Reads of the commission pages and of the dashboard's "my tasks"."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q

from ateliers.models import Proposal
from axes.models import Axis
from cucs_portal.collation import French
from cucs_portal.typography import french
from people.models import Organisation

from . import decision
from .models import (
    AgendaItem,
    AxisDecision,
    AxisPosition,
    CommissionSession,
    ItemPosition,
    ValidationRound,
)


@dataclass
class AxisRow:
    axis: Axis
    positions: list  # (organisation, AxisPosition | None) for every member
    tally: decision.Tally
    decision: AxisDecision | None
    would_validate: bool
    quorum_required: int
    mine: AxisPosition | None = None
    missing: list = field(default_factory=list)


def rounds_overview():
    return ValidationRound.objects.annotate(
        axis_count=Count("axes", distinct=True),
        answer_count=Count("positions", distinct=True),
    ).order_by("-status", "-opened_at")  # "open" > "closed": open rounds first


def round_detail(*, pk: int, organisation: Organisation | None) -> tuple:
    """The round with one row per axis: every member organisation's position (or
    none yet), the tally, and the decision once closed. Five queries."""
    validation_round = ValidationRound.objects.select_related(
        "opened_by", "closed_by"
    ).get(pk=pk)
    axes = list(validation_round.axes.order_by("number"))
    members = list(
        Organisation.objects.filter(is_commission_member=True).order_by(French("name"))
    )
    for member in members:
        member.display_name = french(member.name)
    positions = {
        (p.axis_id, p.organisation_id): p
        for p in validation_round.positions.select_related("recorded_by")
    }
    decisions = {d.axis_id: d for d in validation_round.decisions.all()}
    rows = []
    for axis in axes:
        pairs = [(org, positions.get((axis.pk, org.pk))) for org in members]
        counts = dict.fromkeys(AxisPosition.Position.values, 0)
        for _org, position in pairs:
            if position:
                counts[position.position] += 1
        tally = decision.Tally(
            members=len(members),
            approve=counts[AxisPosition.Position.APPROVE],
            reservations=counts[AxisPosition.Position.APPROVE_WITH_RESERVATIONS],
            oppose=counts[AxisPosition.Position.OPPOSE],
        )
        rows.append(
            AxisRow(
                axis=axis,
                positions=pairs,
                tally=tally,
                decision=decisions.get(axis.pk),
                would_validate=decision.is_validated(tally),
                quorum_required=decision.quorum_required(len(members)),
                mine=positions.get((axis.pk, organisation.pk))
                if organisation
                else None,
                missing=[org for org, position in pairs if position is None],
            )
        )
    return validation_round, rows, members


def review_queue():
    """Submitted proposals waiting for the commission, by axis then number."""
    return (
        Proposal.objects.filter(status=Proposal.Status.SUBMITTED)
        .select_related("atelier__axis", "enjeu__axis", "lead_organisation")
        .order_by("atelier__axis__number", "enjeu__position", "number")
    )


def axis_decisions(axis: Axis):
    return axis.decisions.select_related("round").order_by("-decided_on", "-pk")


def open_rounds_awaiting(*, organisation: Organisation):
    """Open rounds where ``organisation`` has not answered on every axis."""
    return (
        ValidationRound.objects.filter(status=ValidationRound.Status.OPEN)
        .annotate(
            axis_count=Count("axes", distinct=True),
            answered=Count(
                "positions",
                filter=Q(positions__organisation=organisation),
                distinct=True,
            ),
        )
        .filter(answered__lt=F("axis_count"))
        .order_by("opened_at")
    )


# --- The commission's sessions -----------------------------------------------------


def sessions_overview() -> tuple[list, list]:
    """The convened sessions, the soonest first, and the closed ones, the
    latest first, each with the size of its agenda. One query."""
    sessions = list(
        CommissionSession.objects.annotate(
            item_count=Count("items", distinct=True),
            decided_count=Count("items", filter=~Q(items__outcome="")),
        ).order_by("starts_at", "pk")
    )
    convened = [s for s in sessions if s.is_convened]
    closed = [s for s in sessions if not s.is_convened][::-1]
    return convened, closed


def item_tally(item: AgendaItem, *, members: list, positions: list) -> decision.Tally:
    """What the rule counts for ``item``: the minutes' tally when recorded,
    otherwise the positions of the organisations that sit on the commission
    now (a former member's position stays recorded but no longer weighs)."""
    if item.minutes_recorded:
        return item.minutes_tally(len(members))
    member_ids = {org.pk for org in members}
    counts = dict.fromkeys(ItemPosition.Position.values, 0)
    for position in positions:
        if position.organisation_id in member_ids:
            counts[position.position] += 1
    return decision.Tally(
        members=len(members),
        approve=counts[ItemPosition.Position.APPROVE],
        reservations=counts[ItemPosition.Position.APPROVE_WITH_RESERVATIONS],
        changes=counts[ItemPosition.Position.REQUEST_CHANGES],
        oppose=counts[ItemPosition.Position.OPPOSE],
    )


def item_outcome(item: AgendaItem, tally: decision.Tally) -> decision.Outcome:
    if item.axis_id:
        return decision.axis_outcome(tally)
    return decision.outcome(tally)


@dataclass
class ItemRow:
    item: AgendaItem
    positions: list  # (organisation, ItemPosition | None) for every member
    tally: decision.Tally  # what the rule counts now (or counted, once closed)
    outcome: str  # the decision, or what the rule would give now
    quorum_required: int
    mine: ItemPosition | None = None
    missing: list = field(default_factory=list)
    form: object = None


@dataclass
class AgendaGroup:
    axis: Axis | None  # None: the axes themselves on the agenda
    rows: list


def session_detail(*, pk: int, organisation: Organisation | None):
    """The session, its agenda grouped by axis (the axes themselves first),
    each item with every member organisation's position or none yet, the tally
    and what the rule gives. Four queries, whatever the agenda's length."""
    session = CommissionSession.objects.select_related("convened_by", "closed_by").get(
        pk=pk
    )
    items = list(
        session.items.select_related(
            "axis", "proposal__atelier__axis", "proposal__enjeu__axis"
        ).order_by("axis__number", "proposal__atelier__axis__number", "pk")
    )
    members = list(
        Organisation.objects.filter(is_commission_member=True).order_by(French("name"))
    )
    for member in members:
        # Once per page, not once per item: the agenda names every member on
        # every item.
        member.display_name = french(member.name)
    positions = {}
    for position in ItemPosition.objects.filter(item__session=session).select_related(
        "recorded_by", "organisation"
    ):
        positions.setdefault(position.item_id, []).append(position)
    groups: dict = {}
    for item in items:
        recorded = positions.get(item.pk, [])
        by_org = {p.organisation_id: p for p in recorded}
        pairs = [(org, by_org.get(org.pk)) for org in members]
        if item.is_decided and item.member_count is not None:
            tally = item.decided_tally()
        else:
            tally = item_tally(item, members=members, positions=recorded)
        outcome = item.outcome if item.is_decided else item_outcome(item, tally)
        row = ItemRow(
            item=item,
            positions=pairs,
            tally=tally,
            outcome=outcome,
            quorum_required=decision.quorum_required(tally.members),
            mine=by_org.get(organisation.pk) if organisation else None,
            missing=[org for org, position in pairs if position is None],
        )
        key = None if item.axis_id else item.proposal.atelier.axis
        groups.setdefault(key, []).append(row)
    ordered = sorted(
        groups.items(), key=lambda pair: -1 if pair[0] is None else pair[0].number
    )
    return (
        session,
        [AgendaGroup(axis=axis, rows=rows) for axis, rows in ordered],
        members,
    )


def proposal_section(*, proposal, user) -> dict | None:
    """The commission's sessions on a proposal's page: the session it is on
    the agenda of, and each decision with its figures and the organisations'
    positions. For the working group, not partners (as the sessions). Two
    queries."""
    if not user.has_perm("commission.view_commissionsession"):
        return None
    items = list(
        proposal.agenda_items.select_related("session")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=ItemPosition.objects.select_related("organisation").order_by(
                    French("organisation__name")
                ),
            )
        )
        .order_by("session__starts_at", "pk")
    )
    if not items:
        return None
    return {"commission_items": items}


def sessions_awaiting(*, organisation: Organisation):
    """Convened sessions where ``organisation`` has not answered on every
    item, with ``item_count`` and ``answered``. One query."""
    return (
        CommissionSession.objects.filter(status=CommissionSession.Status.CONVENED)
        .annotate(
            item_count=Count("items", distinct=True),
            answered=Count(
                "items__positions",
                filter=Q(items__positions__organisation=organisation),
                distinct=True,
            ),
        )
        .filter(answered__lt=F("item_count"))
        .order_by("starts_at")
    )


def convened_sessions():
    """Convened sessions with their number of items and of positions."""
    return (
        CommissionSession.objects.filter(status=CommissionSession.Status.CONVENED)
        .annotate(
            item_count=Count("items", distinct=True),
            position_count=Count("items__positions", distinct=True),
        )
        .order_by("starts_at")
    )


def proposals_not_on_an_agenda():
    """Submitted proposals that no convened session has on its agenda."""
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exclude(
        agenda_items__session__status=CommissionSession.Status.CONVENED
    )

"""Reads of the commission pages and of the dashboard's "my tasks"."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from ateliers.models import Proposal
from axes.models import Axis
from people.models import Organisation

from . import decision
from .models import AxisDecision, AxisPosition, ValidationRound


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
        Organisation.objects.filter(is_commission_member=True).order_by("name")
    )
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

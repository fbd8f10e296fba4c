"""Reads shared by the programming pages, the exports and the PDF: what counts
as "the programming of a territory" is written once, here."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ateliers.models import Proposal
from cucs_portal.collation import French
from cucs_portal.search import matching_through
from people.models import Organisation, Territory
from referentiel.content import proposal_index
from referentiel.models import Edition

from .models import FundingLine, SiteAction

STATUSES = SiteAction.Status
# The programming's search: the action's texts (a GIN trigram index each on
# PostgreSQL, migration 0004) and its proposal's title.
SEARCHED_FIELDS = ("title", "description")

# --- Editions -----------------------------------------------------------------


def edition_holds(edition: Edition, proposal) -> bool:
    """Whether the frozen content of a published ``edition`` holds ``proposal``."""
    if not edition.is_published or not edition.snapshot:
        return False
    return proposal.pk in proposal_index(edition.snapshot)


def editions_holding(proposal) -> list[Edition]:
    """The published editions whose frozen content holds ``proposal``, the
    latest first."""
    editions = Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )
    return [edition for edition in editions if edition_holds(edition, proposal)]


# --- Actions --------------------------------------------------------------------

# The commune and the bassin of an action's site, whether the site is a commune
# or a priority neighbourhood under one.
_IS_COMMUNE = Q(territory__kind=Territory.Kind.COMMUNE)
COMMUNE_ID = Case(
    When(_IS_COMMUNE, then=F("territory_id")),
    default=F("territory__parent_id"),
    output_field=IntegerField(),
)
COMMUNE_NAME = Case(
    When(_IS_COMMUNE, then=F("territory__name")),
    default=F("territory__parent__name"),
    output_field=CharField(),
)
BASSIN_ID = Case(
    When(_IS_COMMUNE, then=F("territory__parent_id")),
    default=F("territory__parent__parent_id"),
    output_field=IntegerField(),
)
BASSIN_NAME = Case(
    When(_IS_COMMUNE, then=F("territory__parent__name")),
    default=F("territory__parent__parent__name"),
    output_field=CharField(),
)


def _funding_total():
    return Subquery(
        FundingLine.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )


def actions_for_listing():
    """Actions with everything a row shows (site with its commune and bassin,
    lead organisation, proposal with its axis, partners, funding total). No
    query per row."""
    return (
        SiteAction.objects.select_related(
            "territory__parent__parent",
            "lead_organisation",
            "proposal__atelier__axis",
            "edition",
        )
        .prefetch_related(
            Prefetch(
                "partner_organisations",
                queryset=Organisation.objects.order_by(French("name")),
            )
        )
        .annotate(
            commune_name=COMMUNE_NAME,
            bassin_name=BASSIN_NAME,
            funding_total=_funding_total(),
        )
    )


def programming_order(actions):
    """Where, then when: bassin, commune, start date."""
    return actions.order_by(
        French("bassin_name"), French("commune_name"), "starts_on", "title", "pk"
    )


def filter_actions(actions, filters: dict):
    """The actions matching a programming filter form's cleaned data: words
    (accents and case ignored, in the action or its proposal's title),
    territory (a bassin holds its communes and their neighbourhoods), axis,
    status, lead organisation and a period the action overlaps."""
    found = matching_through(
        filters.get("q") or "",
        *SEARCHED_FIELDS,
        through="proposal",
        related=Proposal.objects.all(),
        related_fields=("title",),
    )
    if found is not None:
        actions = actions.filter(found)
    if filters.get("territory"):
        actions = actions.in_territory(filters["territory"])
    if filters.get("axis"):
        actions = actions.for_axis(filters["axis"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("lead_organisation"):
        actions = actions.filter(lead_organisation=filters["lead_organisation"])
    if filters.get("starts_after"):
        actions = actions.filter(ends_on__gte=filters["starts_after"])
    if filters.get("ends_before"):
        actions = actions.filter(starts_on__lte=filters["ends_before"])
    return actions


def actions_of_proposal(proposal):
    """A proposal's actions on every site, grouped by commune."""
    return programming_order(
        SiteAction.objects.filter(proposal=proposal)
        .select_related("territory__parent", "lead_organisation")
        .annotate(commune_name=COMMUNE_NAME, bassin_name=BASSIN_NAME)
    )


def proposal_section(*, proposal, user) -> dict | None:
    """The site actions section of a validated proposal's page (declared in
    apps.py): its actions on every site, even none."""
    if proposal.status != Proposal.Status.VALIDATED:
        return None
    return {"site_actions": list(actions_of_proposal(proposal))}


def action_detail(*, pk: int) -> SiteAction:
    return (
        SiteAction.objects.select_related(
            "territory__parent__parent",
            "lead_organisation",
            "proposal__atelier__axis",
            "proposal__enjeu",
            "edition",
            "created_by__organisation",
        )
        .prefetch_related(
            Prefetch(
                "partner_organisations",
                queryset=Organisation.objects.order_by(French("name")),
            ),
            Prefetch("funding_lines", queryset=FundingLine.objects.order_by("pk")),
        )
        .get(pk=pk)
    )


def progress_history(action):
    return action.progress_notes.select_related("author__organisation").order_by(
        "-created_at", "-pk"
    )


# --- Roll-ups ---------------------------------------------------------------------


@dataclass
class Segment:
    status: str
    label: str
    count: int
    x: float
    width: float
    labelled: bool = True
    text_x: float = 0.0


@dataclass
class RollupRow:
    label: str
    key: object
    total: int
    counts: dict
    average_progress: int
    budget: Decimal
    segments: list = field(default_factory=list)
    label_y: float = 0.0
    meta_y: float = 0.0
    bar_y: float = 0.0
    text_y: float = 0.0

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(s, str(label), self.counts.get(s, 0)) for s, label in STATUSES.choices]


def _status_counts():
    return {f"n_{status}": Count("pk", filter=Q(status=status)) for status in STATUSES}


def rollup(actions, dimension: str) -> list[RollupRow]:
    """Counts per status, average progress (abandoned actions left out) and
    budget of ``actions`` per axis, bassin or commune. One query."""
    if dimension == "axis":
        keyed = actions.annotate(
            key=F("proposal__atelier__axis__number"),
            label=F("proposal__atelier__axis__short_label"),
        )
        order = ["key"]
    elif dimension == "bassin":
        keyed = actions.annotate(key=BASSIN_ID, label=BASSIN_NAME)
        order = ["label"]
    elif dimension == "commune":
        keyed = actions.annotate(key=COMMUNE_ID, label=COMMUNE_NAME)
        order = ["label"]
    else:
        raise ValueError(dimension)
    grouped = (
        keyed.order_by()
        .values("key", "label")
        .annotate(
            total=Count("pk"),
            average=Avg("progress", filter=~Q(status=STATUSES.ABANDONED)),
            budget=Coalesce(Sum("budget"), Value(Decimal(0))),
            **_status_counts(),
        )
        .order_by(*order)
    )
    rows = [
        RollupRow(
            label=row["label"] or "",
            key=row["key"],
            total=row["total"],
            counts={status: row[f"n_{status}"] for status in STATUSES},
            average_progress=round(row["average"] or 0),
            budget=row["budget"],
        )
        for row in grouped
    ]
    _lay_out(rows)
    return rows


# The chart's geometry, in SVG units: a label line above each stacked bar.
CHART_WIDTH = 600
ROW_HEIGHT = 80
BAR_HEIGHT = 20
LABEL_BASELINE = 20
META_BASELINE = 42
# A segment narrower than this shows no count inside (the table has it).
MIN_LABELLED_WIDTH = 26


def _lay_out(rows: list[RollupRow]) -> None:
    """The stacked bar of each row, its length in proportion to the longest
    row's, and where each row sits in the chart."""
    longest = max((row.total for row in rows), default=0) or 1
    for index, row in enumerate(rows):
        row.label_y = index * ROW_HEIGHT + LABEL_BASELINE
        row.meta_y = index * ROW_HEIGHT + META_BASELINE
        row.bar_y = index * ROW_HEIGHT + META_BASELINE + 6
        row.text_y = row.bar_y + BAR_HEIGHT / 2 + 5
        x = 0.0
        for status, label in STATUSES.choices:
            count = row.counts.get(status, 0)
            if not count:
                continue
            width = CHART_WIDTH * count / longest
            segment = Segment(status, str(label), count, round(x, 2), round(width, 2))
            segment.labelled = width >= MIN_LABELLED_WIDTH
            segment.text_x = round(x + width / 2, 2)
            row.segments.append(segment)
            x += width


def chart_height(rows) -> int:
    return max(len(rows), 1) * ROW_HEIGHT


def totals(actions) -> dict:
    """The counts per status, average progress and budget of ``actions``."""
    row = actions.order_by().aggregate(
        total=Count("pk"),
        average=Avg("progress", filter=~Q(status=STATUSES.ABANDONED)),
        budget=Coalesce(Sum("budget"), Value(Decimal(0))),
        **_status_counts(),
    )
    return {
        "total": row["total"],
        "average_progress": round(row["average"] or 0),
        "budget": row["budget"],
        "status_counts": [
            (status, str(label), row[f"n_{status}"])
            for status, label in STATUSES.choices
        ],
    }


def export_rows(actions):
    """The programming as rows of values for the CSV and XLSX exports: dates
    as dates, amounts as numbers."""
    for action in actions:
        yield [
            action.bassin_name or "",
            action.commune_name or "",
            action.territory.name,
            action.title,
            action.proposal.reference,
            action.proposal.title,
            action.proposal.atelier.axis.number,
            action.edition.title,
            str(action.lead_organisation),
            ", ".join(str(o) for o in action.partner_organisations.all()),
            action.starts_on,
            action.ends_on,
            action.get_status_display(),
            action.progress,
            action.budget,
            action.funding_total,
        ]

"""Reads shared by the dashboard, the axis pages and (later) the référentiel."""

from collections import defaultdict

from django.db.models import Count, Prefetch

from ateliers.models import AtelierMembership, Proposal
from people.models import Territory

from .models import Axis, DiagnosisElement, Enjeu


def axes_with_proposal_counts(*, user) -> list[Axis]:
    """The six axes, each with ``status_counts`` ({status: n}) and
    ``proposal_total`` over the proposals ``user`` may read.

    Two queries whatever the number of proposals.
    """
    axes = list(Axis.objects.select_related("atelier").order_by("number"))
    rows = (
        Proposal.objects.visible_to(user)
        .order_by()
        .values("atelier__axis_id", "status")
        .annotate(n=Count("pk"))
        .values_list("atelier__axis_id", "status", "n")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for axis_id, status, n in rows:
        counts[axis_id][status] = n
    for axis in axes:
        axis.status_counts = counts.get(axis.pk, {})
        axis.proposal_total = sum(axis.status_counts.values())
        axis.status_rows = status_rows(axis.status_counts)
    return axes


def status_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """``counts`` as ``(status, label, n)`` in the order of Proposal.Status, every
    status included (n may be 0), so a template needs no dictionary lookup."""
    return [
        (value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices
    ]


def status_totals(axes: list[Axis]) -> list[tuple[str, str, int]]:
    """The status rows summed over ``axes`` (as returned above). No query."""
    totals: dict[str, int] = defaultdict(int)
    for axis in axes:
        for status, n in axis.status_counts.items():
            totals[status] += n
    return status_rows(totals)


def axis_detail(*, number: int) -> Axis:
    """One axis with its diagnosis, enjeux, atelier and co-animators."""
    coanimators = AtelierMembership.objects.filter(
        role__in=AtelierMembership.COANIMATOR_ROLES
    ).select_related("user__organisation")
    return (
        Axis.objects.select_related("atelier")
        .prefetch_related(
            Prefetch(
                "diagnosis_elements",
                queryset=DiagnosisElement.objects.select_related("bassin"),
            ),
            "enjeux",
            Prefetch(
                "atelier__memberships", queryset=coanimators, to_attr="coanimators"
            ),
        )
        .get(number=number)
    )


def diagnosis_by_bassin(axis: Axis) -> list[tuple[Territory | None, list]]:
    """The prefetched diagnosis of ``axis`` grouped by bassin: the findings shared
    by the three bassins first (bassin ``None``), then each bassin by name."""
    groups: dict[Territory | None, list] = {}
    for element in axis.diagnosis_elements.all():
        groups.setdefault(element.bassin, []).append(element)
    return sorted(
        groups.items(), key=lambda item: (item[0] is not None, str(item[0] or ""))
    )


def enjeux_with_proposals(axis: Axis, proposals) -> list[tuple[Enjeu, list]]:
    """Each enjeu of ``axis`` in order with the given proposals that answer it.

    ``proposals`` must have ``enjeu`` selected; a proposal filed under an enjeu of
    another axis (which validation forbids) still shows, after the others.
    """
    groups: dict[int, tuple[Enjeu, list]] = {
        enjeu.pk: (enjeu, []) for enjeu in axis.enjeux.all()
    }
    for proposal in proposals:
        groups.setdefault(proposal.enjeu_id, (proposal.enjeu, []))[1].append(proposal)
    return list(groups.values())

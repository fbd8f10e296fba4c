"""Reads shared by the dashboard, the axis pages and (later) the référentiel."""

from collections import defaultdict

from django.db.models import Count, Prefetch

from ateliers.models import AtelierMembership, Proposal

from .models import Axis, DiagnosisElement


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
    return axes


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

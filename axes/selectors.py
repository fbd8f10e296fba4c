"""Reads of the axes alone (the pages that show them with their proposals and
decisions are the dashboard's: dashboard/selectors.py)."""

from cucs_portal.collation import french_key
from people.models import Territory

from .models import Axis, Enjeu


def diagnosis_by_bassin(axis: Axis) -> list[tuple[Territory | None, list]]:
    """The prefetched diagnosis of ``axis`` grouped by bassin: the findings shared
    by the three bassins first (bassin ``None``), then each bassin by name."""
    groups: dict[Territory | None, list] = {}
    for element in axis.diagnosis_elements.all():
        groups.setdefault(element.bassin, []).append(element)
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is not None, french_key(str(item[0] or ""))),
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

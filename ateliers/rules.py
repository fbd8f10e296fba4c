"""Who may see what in the ateliers. Default deny: a permission not listed here is
refused to everyone but superusers (through Django's ModelBackend).

Proposal visibility is written once, as the statuses each role may read, and used
both by the ``view_proposal`` permission (one object) and by
``Proposal.objects.visible_to`` (lists, counts, exports).
"""

import rules
from django.db.models import Q

from people.rules import (
    is_authenticated,
    is_commission_member,
    is_partner,
    is_secretariat,
)

from .models import AtelierMembership, Proposal

# What the whole inter-landlord group (any atelier member, co-animator or
# commission member) may read of other ateliers: whatever went to the commission.
GROUP_STATUSES = frozenset(
    {
        Proposal.Status.SUBMITTED,
        Proposal.Status.CHANGES_REQUESTED,
        Proposal.Status.VALIDATED,
        Proposal.Status.REJECTED,
    }
)
# Partners read only what the commission validated: never a draft.
PARTNER_STATUSES = frozenset({Proposal.Status.VALIDATED})
ALL_STATUSES = frozenset(Proposal.Status.values)


def _atelier_ids(user) -> frozenset[int]:
    """The ateliers ``user`` belongs to, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_atelier_ids_cache", None)
    if cached is None:
        cached = frozenset(
            AtelierMembership.objects.filter(user=user).values_list(
                "atelier_id", flat=True
            )
        )
        user._atelier_ids_cache = cached
    return cached


def readable_statuses(user) -> frozenset[str]:
    """The statuses ``user`` may read in ateliers they do not belong to."""
    if not user.is_authenticated:
        return frozenset()
    if is_secretariat(user):
        return ALL_STATUSES
    statuses = set()
    if is_partner(user):
        statuses |= PARTNER_STATUSES
    if is_commission_member(user) or _atelier_ids(user):
        statuses |= GROUP_STATUSES
    return frozenset(statuses)


def proposal_visibility_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(status__in=readable_statuses(user)) | Q(atelier_id__in=_atelier_ids(user))


@rules.predicate
def can_read_proposal(user, proposal) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.status in readable_statuses(
        user
    ) or proposal.atelier_id in _atelier_ids(user)


@rules.predicate
def is_atelier_member(user, atelier) -> bool:
    return atelier is not None and atelier.pk in _atelier_ids(user)


@rules.predicate
def is_coanimator(user, atelier) -> bool:
    if atelier is None or not user.is_authenticated:
        return False
    return AtelierMembership.objects.filter(
        atelier=atelier, user=user, role__in=AtelierMembership.COANIMATOR_ROLES
    ).exists()


# Axes and ateliers are the group's shared frame: every signed-in person reads them.
rules.add_perm("ateliers.view_atelier", is_authenticated)
rules.add_perm("ateliers.view_proposal", can_read_proposal)

"""Who may see what in the ateliers. Default deny: a permission not listed here is
refused to everyone but superusers (through Django's ModelBackend).

Proposal visibility is written once, in models.py, as the statuses each role
may read, used both by the ``view_proposal`` permission (one object) and by
``Proposal.objects.visible_to`` (lists, counts, exports).
"""

import rules

from people.rules import (
    is_authenticated,
    is_commission_member,
    is_partner,
    is_secretariat,
)

from .models import (
    AtelierMembership,
    Proposal,
    _atelier_ids,
    readable_statuses,
)


@rules.predicate
def can_read_proposal(user, proposal) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.status in readable_statuses(
        user
    ) or proposal.atelier_id in _atelier_ids(user)


@rules.predicate
def is_atelier_member(user, atelier) -> bool:
    """A volunteer or a co-animator of ``atelier``."""
    return atelier is not None and atelier.pk in _atelier_ids(user)


@rules.predicate
def is_coanimator(user, atelier) -> bool:
    if atelier is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_coanimated_ids_cache", None)
    if cached is None:
        cached = frozenset(
            AtelierMembership.objects.filter(
                user=user, role__in=AtelierMembership.COANIMATOR_ROLES
            ).values_list("atelier_id", flat=True)
        )
        user._coanimated_ids_cache = cached
    return atelier.pk in cached


@rules.predicate
def in_proposal_atelier(user, proposal) -> bool:
    return proposal is not None and proposal.atelier_id in _atelier_ids(user)


@rules.predicate
def coanimates_proposal_atelier(user, proposal) -> bool:
    return proposal is not None and is_coanimator(user, proposal.atelier)


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.created_by_id == user.pk or any(
        author.pk == user.pk for author in proposal.authors.all()
    )


@rules.predicate
def is_editable(user, proposal) -> bool:
    return proposal is not None and proposal.status in Proposal.EDITABLE_STATUSES


@rules.predicate
def is_draft(user, proposal) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.DRAFT


# Axes and ateliers are the group's shared frame: every signed-in person reads them.
rules.add_perm("ateliers.view_atelier", is_authenticated)
rules.add_perm("ateliers.view_proposal", can_read_proposal)
# Running an atelier: membership, sessions, enjeux.
rules.add_perm("ateliers.manage_atelier", is_coanimator | is_secretariat)
rules.add_perm("ateliers.add_proposal", is_atelier_member)
rules.add_perm("ateliers.change_proposal", in_proposal_atelier & is_editable)
rules.add_perm("ateliers.submit_proposal", coanimates_proposal_atelier & is_editable)
rules.add_perm(
    "ateliers.withdraw_proposal",
    ((is_proposal_author & in_proposal_atelier) | coanimates_proposal_atelier)
    & is_draft,
)
# « Prête à soumettre »: the atelier's members and the proposal's authors who
# read it tell the co-animators; the service refuses it on anything but a
# draft, saying why.
rules.add_perm(
    "ateliers.signal_ready_proposal",
    can_read_proposal & (in_proposal_atelier | is_proposal_author),
)
# The discussion and the history belong to the working group, not to partners.
_working_group = in_proposal_atelier | is_commission_member | is_secretariat
rules.add_perm("ateliers.comment_proposal", can_read_proposal & _working_group)
rules.add_perm("ateliers.view_proposal_history", can_read_proposal & _working_group)

# The commission decides on what the ateliers submitted in its sessions, as a
# body: commission/rules.py.

# Minutes discuss drafts: the working group reads them, partners do not.
rules.add_perm(
    "ateliers.read_minutes",
    is_authenticated
    & (~is_partner | is_atelier_member | is_commission_member | is_secretariat),
)


# Suggested changes: a commission delegate or a co-animator of the proposal's
# atelier suggests an exact change while the proposal is with the commission or
# sent back; the atelier accepts it while it may edit the proposal, or declines
# it; the working group reads them, partners never.
@rules.predicate
def is_open_to_suggestions(user, proposal) -> bool:
    return proposal is not None and proposal.status in Proposal.SUGGESTABLE_STATUSES


rules.add_perm(
    "ateliers.suggest_proposal",
    can_read_proposal
    & (is_commission_member | coanimates_proposal_atelier)
    & is_open_to_suggestions,
)
rules.add_perm("ateliers.view_proposal_suggestions", can_read_proposal & _working_group)
rules.add_perm("ateliers.accept_suggestion", in_proposal_atelier & is_editable)
rules.add_perm("ateliers.decline_suggestion", in_proposal_atelier)

# Attached files (cucs_portal/attachments.py): a proposal's annexes are read by
# whoever reads the proposal (so partners never see a draft's) and added or
# removed by its atelier while it may edit it; a session's files (signed
# attendance sheets, minutes) are read like the minutes and added or removed by
# the co-animators.
rules.add_perm("ateliers.attach_proposal", in_proposal_atelier & is_editable)

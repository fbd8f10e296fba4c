"""Who may do what with site actions. Default deny.

Every signed-in person reads the actions and the programming: partners are the
sites' contract partners, and the actions come from validated proposals of a
published référentiel. The secretariat and landlord staff decline a proposal
into actions; an action is changed (and its progress updated) by the
secretariat, the person who created it and the staff of its lead organisation.
"""

import rules

from people.rules import (
    is_authenticated,
    is_landlord_staff,
    is_secretariat,
    works_for_an_organisation,
)


@rules.predicate
def created_the_action(user, action) -> bool:
    return (
        action is not None and user.is_authenticated and action.created_by_id == user.pk
    )


@rules.predicate
def works_for_the_lead_organisation(user, action) -> bool:
    return (
        action is not None
        and works_for_an_organisation(user)
        and user.organisation_id == action.lead_organisation_id
    )


rules.add_perm("declinaison.view_programming", is_authenticated)
rules.add_perm("declinaison.view_siteaction", is_authenticated)
rules.add_perm("declinaison.add_siteaction", is_secretariat | is_landlord_staff)
_in_charge = is_secretariat | created_the_action | works_for_the_lead_organisation
rules.add_perm("declinaison.change_siteaction", _in_charge)
rules.add_perm("declinaison.update_progress_siteaction", _in_charge)

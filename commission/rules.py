"""Who may do what at the commission. Default deny."""

import rules

from people.rules import (
    is_authenticated,
    is_commission_member,
    is_partner,
    is_secretariat,
)


@rules.predicate
def round_is_open(user, validation_round) -> bool:
    return validation_round is not None and validation_round.is_open


# The commission's rounds are the working group's shared trace: every signed-in
# person reads them, except partners, who read the validated référentiel, not
# each landlord's named position.
rules.add_perm(
    "commission.view_validationround",
    is_authenticated & (~is_partner | is_commission_member | is_secretariat),
)
rules.add_perm("commission.open_round", is_secretariat)
rules.add_perm("commission.close_round", is_secretariat & round_is_open)
rules.add_perm("commission.record_position", is_commission_member & round_is_open)
rules.add_perm("commission.view_review_queue", is_commission_member | is_secretariat)

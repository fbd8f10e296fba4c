"""Who may do what at the commission. Default deny."""

import rules

from people.rules import is_authenticated, is_commission_member, is_secretariat


@rules.predicate
def round_is_open(user, validation_round) -> bool:
    return validation_round is not None and validation_round.is_open


# The commission's decisions are the group's shared trace: everyone signed in
# reads them.
rules.add_perm("commission.view_validationround", is_authenticated)
rules.add_perm("commission.open_round", is_secretariat)
rules.add_perm("commission.close_round", is_secretariat & round_is_open)
rules.add_perm("commission.record_position", is_commission_member & round_is_open)
rules.add_perm("commission.view_review_queue", is_commission_member | is_secretariat)

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


@rules.predicate
def session_is_convened(user, session) -> bool:
    return session is not None and session.is_convened


# The sessions, like the rounds, are the working group's shared trace; the
# secretariat convenes them, records the minutes and closes them; each member
# organisation's delegate records its positions while the session is convened.
rules.add_perm(
    "commission.view_commissionsession",
    is_authenticated & (~is_partner | is_commission_member | is_secretariat),
)
rules.add_perm("commission.convene_session", is_secretariat)
rules.add_perm("commission.change_session", is_secretariat & session_is_convened)
rules.add_perm("commission.close_session", is_secretariat & session_is_convened)
rules.add_perm("commission.record_minutes", is_secretariat & session_is_convened)
rules.add_perm(
    "commission.record_item_position", is_commission_member & session_is_convened
)

"""The kernel's own permissions. Default deny.

Each signed-in person chooses how they are told (« Mes notifications »); the
choices saved are always the signed-in person's own.

Two-factor authentication (cucs_portal/two_factor.py): every signed-in person
may turn it on; who has it makes new recovery codes; only those who need not use
it (not the superusers, the staff, the secretariat) may turn it off.
"""

import rules

from . import two_factor


@rules.predicate
def must_use_two_factor(user) -> bool:
    return two_factor.must_use_two_factor(user)


@rules.predicate
def has_two_factor(user) -> bool:
    return two_factor.confirmed_device(user) is not None


rules.add_perm("cucs_portal.change_notification_preferences", rules.is_authenticated)
rules.add_perm("cucs_portal.use_two_factor", rules.is_authenticated)
rules.add_perm(
    "cucs_portal.regenerate_recovery_codes", rules.is_authenticated & has_two_factor
)
rules.add_perm(
    "cucs_portal.disable_two_factor",
    rules.is_authenticated & ~must_use_two_factor & has_two_factor,
)

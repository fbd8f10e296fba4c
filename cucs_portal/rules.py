"""The kernel's own permissions. Default deny.

Each signed-in person chooses how they are told (« Mes notifications »); the
choices saved are always the signed-in person's own.
"""

import rules

rules.add_perm("cucs_portal.change_notification_preferences", rules.is_authenticated)

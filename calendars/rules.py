"""Who may see and renew which calendar address. Default deny.

A person's address is theirs alone; an atelier's belongs to its co-animators
and to the secretariat. Whoever holds an address reads the feed without
signing in (calendar applications subscribe to it): the feed itself shows
only what its owner may read (selectors.py).
"""

import rules

from ateliers.rules import is_coanimator
from people.rules import is_authenticated, is_secretariat

rules.add_perm("calendars.view_calendars", is_authenticated)
rules.add_perm("calendars.manage_atelier_feed", is_coanimator | is_secretariat)

"""Who may do what with the seminar. Default deny.

Every signed-in person reads the event pages (date, place, programme, the
edition it presents): the working group and the partners are all concerned,
and none of it is personal. The guest list, the replies, the attendance list
and the exports hold names, addresses and the replies of people outside the
portal: the AMO2SM secretariat, who runs the invitations, alone reads and
writes them. A guest replies through their personal link, without an account.
"""

import rules

from people.rules import is_authenticated, is_secretariat

rules.add_perm("seminaire.view_event", is_authenticated)
rules.add_perm("seminaire.add_event", is_secretariat)
rules.add_perm("seminaire.change_event", is_secretariat)
rules.add_perm("seminaire.view_guests", is_secretariat)
rules.add_perm("seminaire.manage_guests", is_secretariat)
rules.add_perm("seminaire.send_invitations", is_secretariat)

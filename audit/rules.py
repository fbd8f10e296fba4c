import rules

from people.rules import is_secretariat

rules.add_perm("audit.view_auditevent", is_secretariat)

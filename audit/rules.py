import rules

from people.rules import is_secretariat

# Not "view_auditevent": a name of its own, so that a Django model permission
# granted in the admin never opens the journal (default deny).
rules.add_perm("audit.read_journal", is_secretariat)

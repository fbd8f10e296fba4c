import rules

from people.rules import is_authenticated

rules.add_perm("axes.view_axis", is_authenticated)

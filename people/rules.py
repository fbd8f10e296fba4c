"""Portal-wide role predicates, shared by every app's rules.py."""

import rules


@rules.predicate
def is_secretariat(user) -> bool:
    return bool(user.is_authenticated and (user.is_secretariat or user.is_superuser))


@rules.predicate
def is_commission_member(user) -> bool:
    return bool(user.is_authenticated and user.is_commission_delegate)


@rules.predicate
def is_partner(user) -> bool:
    return bool(user.is_authenticated and user.is_partner)


is_authenticated = rules.is_authenticated

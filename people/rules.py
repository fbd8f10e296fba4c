"""Portal-wide role predicates, shared by every app's rules.py."""

import rules


@rules.predicate
def is_secretariat(user) -> bool:
    return bool(user.is_authenticated and (user.is_secretariat or user.is_superuser))


@rules.predicate
def is_commission_member(user) -> bool:
    """Represents, at the commission, an organisation that sits on it."""
    return bool(
        user.is_authenticated
        and user.is_commission_delegate
        and user.organisation_id
        and user.organisation.is_commission_member
    )


@rules.predicate
def is_partner(user) -> bool:
    return bool(user.is_authenticated and user.is_partner)


is_authenticated = rules.is_authenticated

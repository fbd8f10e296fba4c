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


def works_for_an_organisation(user) -> bool:
    """Signed in, with an organisation, and not only a read-only partner: a
    partner who also sits on the commission or in the secretariat works for
    their organisation too."""
    return bool(
        user.is_authenticated
        and user.organisation_id
        and (not user.is_partner or user.is_commission_delegate or user.is_secretariat)
    )


def landlord_staff(user) -> bool:
    """Works for a social landlord (see ``works_for_an_organisation``): who
    declines proposals into site actions and writes experience sheets."""
    return works_for_an_organisation(user) and user.organisation.is_landlord


is_landlord_staff = rules.predicate(landlord_staff, name="is_landlord_staff")

"""Portal-wide role predicates, shared by every app's rules.py."""

from dataclasses import dataclass

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q


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


# --- Privileges over accounts ---------------------------------------------------

# The flags that open doors: the admin (staff) and the portal's running of
# editions, rounds and accounts (secretariat). The other flags (commission
# delegate, partner) are roles the secretariat hands out, not privileges.
PRIVILEGED_FLAGS = ("is_staff", "is_secretariat")


@dataclass(frozen=True)
class Privileges:
    """What an account may do beyond an ordinary account.

    A superuser holds every privilege. Anyone else holds their privileged flags
    (``PRIVILEGED_FLAGS``) and their permissions, their own and their groups'.
    Privileges are a set, not a ladder: A holds at least B's privileges when B
    holds nothing A lacks. So a superuser is above everyone; the secretariat
    (staff with the flag) is above staff without it who hold the same
    permissions; two secretariat accounts with the same groups are peers; and
    staff without the flag cannot reach a secretariat account that holds a
    permission they lack, nor the reverse.

    Whether the account is active does not count: a deactivated superuser is
    still one, and could be reactivated.
    """

    superuser: bool = False
    flags: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()

    def is_within(self, other: "Privileges") -> bool:
        """Holds nothing ``other`` lacks."""
        if other.superuser:
            return True
        return (
            not self.superuser
            and self.flags <= other.flags
            and self.permissions <= other.permissions
        )


def permission_names(permissions) -> frozenset[str]:
    """``app_label.codename`` of a queryset of permissions."""
    return frozenset(
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def privileges_of(user, *, flags=None, groups=None, user_permissions=None):
    """The privileges ``user`` holds in the database, or would hold with the
    given ``flags`` (a mapping, e.g. a form's cleaned data), ``groups`` and
    ``user_permissions`` instead of their own."""
    if not getattr(user, "is_authenticated", False):
        return Privileges()
    flags = flags or {}

    def held(flag):
        return bool(flags.get(flag, getattr(user, flag)))

    saved = user.pk is not None
    nothing = Q(pk__in=[])
    own = Q(user=user) if saved else nothing
    inherited = Q(group__user=user) if saved else nothing
    if user_permissions is not None:
        own = Q(pk__in=user_permissions)
    if groups is not None:
        inherited = Q(group__in=groups)
    permissions = Permission.objects.filter(own | inherited)
    return Privileges(
        superuser=held("is_superuser"),
        flags=frozenset(flag for flag in PRIVILEGED_FLAGS if held(flag)),
        permissions=permission_names(permissions),
    )


@rules.predicate
def holds_the_privileges_of(actor, target) -> bool:
    """The actor may act on the target account (change it, set its password,
    delete it): the target holds no privilege the actor lacks. Oneself and a
    peer qualify; no target (a list, an add form) too."""
    if target is None:
        return True
    return privileges_of(target).is_within(privileges_of(actor))


# --- A person's data --------------------------------------------------------------


def _holds_a_privilege(user) -> bool:
    return bool(user.is_superuser or any(getattr(user, f) for f in PRIVILEGED_FLAGS))


@rules.predicate
def may_erase(actor, target) -> bool:
    """The actor may erase the target's personal data: never their own, and
    only of an account strictly less privileged than theirs (a peer is
    refused too: two secretariat members cannot erase each other). An account
    that holds a privilege (staff, secretariat, superuser) is erased by a
    superuser only, once its privileges are above none of theirs."""
    if target is None or not actor.is_authenticated or target.pk == actor.pk:
        return False
    target_privileges, actor_privileges = privileges_of(target), privileges_of(actor)
    strictly_below = target_privileges.is_within(
        actor_privileges
    ) and not actor_privileges.is_within(target_privileges)
    return strictly_below and (not _holds_a_privilege(target) or actor.is_superuser)


# Everyone signed in downloads their own data (« Mes données »).
rules.add_perm("people.export_own_data", is_authenticated)
# Acting on another account (resetting its second factor, say): only within
# one's own privileges.
rules.add_perm("people.act_on_account", holds_the_privileges_of)
# The secretariat erases a person's identity (audit.services.person_erase).
# A superuser's ``has_perm`` is always true (Django's backend): the views ask
# ``can_erase`` itself.
can_erase = is_secretariat & may_erase
rules.add_perm("people.erase_person", can_erase)

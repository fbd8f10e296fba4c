"""The erasure of a person (RGPD, right to erasure), by anonymisation.

The account is never deleted (17 foreign keys to it are ``PROTECT``, on
purpose): the journal, the revisions, the positions and the decisions keep
pointing at the same row, which becomes « Ancien participant n° N » (N
follows the erasures, one after the other, and never changes). Its
username, e-mail, job title and password go, it can no longer sign in, and it
loses its roles, groups and permissions.

What the person wrote for the group (proposals, comments, minutes) is the
group's work and stays, signed with the pseudonym. Their name and e-mail are
replaced by the pseudonym in every free text of the database
(``cucs_portal.personal_data.replace_everywhere``: the journal's labels and
comments, the texts of the proposals, the seminar's invitations…), except the
published editions of the référentiel, an archive kept as printed.

The journal records the erasure, who made it and when, without the erased
data: its label is the pseudonym.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp import devices_for_user

from cucs_portal import personal_data
from people.models import User
from people.rules import can_erase

from .models import AuditEvent
from .verbs import AuditVerb


class ErasureRefused(Exception):
    """The acting person may not erase this account."""


class AlreadyErased(Exception):
    """The account was anonymised already."""


def pseudonym(number: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Former participant no. %(number)s") % {"number": number}


def names_of(person: User) -> list[str]:
    """How the person's name is written: « Anne Martin », « Martin Anne »."""
    first, last = person.first_name.strip(), person.last_name.strip()
    names = {person.get_full_name().strip()}
    if first and last:
        names.add(f"{last} {first}")
    return sorted(name for name in names if name)


def next_erasure_number() -> int:
    """The number the next erasure takes (a unique column: two erasures at
    once cannot both take it)."""
    return (User.objects.aggregate(last=Max("erasure_number"))["last"] or 0) + 1


@transaction.atomic
def person_erase(*, person: User, acting_user: User) -> User:
    """Anonymise ``person`` (see the module's docstring); returns the account
    as it is now."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise AlreadyErased
    if not can_erase(acting_user, person):
        raise ErasureRefused
    number = next_erasure_number()
    names, email, username = names_of(person), person.email, person.username
    label = pseudonym(number)
    new_username = f"ancien-participant-{number}"

    person.first_name = ""
    person.last_name = label
    person.username = new_username
    person.email = ""
    person.job_title = ""
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_secretariat = False
    person.is_partner = False
    person.is_commission_delegate = False
    person.erasure_number = number
    person.erased_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    # Their second factor (the TOTP secret, the recovery codes) goes too.
    for device in devices_for_user(person, confirmed=None):
        device.delete()

    changed = personal_data.replace_everywhere(
        names=names,
        emails=[email],
        replacement=label,
        email_replacement=f"{new_username}@invalid",
        exact_values={username: new_username},
        skip=[(User, person.pk)],
    )
    rows = sum(changed.values())
    AuditEvent.record(
        actor=acting_user,
        target=person,
        action=AuditVerb.PERSON_ERASE,
        comment=_changed_comment(rows),
    )
    return person


def _changed_comment(rows: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.ngettext(
            "The name was replaced in %(count)s other record.",
            "The name was replaced in %(count)s other records.",
            rows,
        ) % {"count": rows}

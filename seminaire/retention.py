"""The seminar's guests who have no account are anonymised
``SEMINAR_GUEST_RETENTION_MONTHS`` months (12 by default) after their seminar
(its end, or its start when it has none), by the worker every day
(seminaire/tasks.py) or by ``manage.py purge_seminar_guests``.

Anonymised, not deleted: the row keeps its seminar, category, reply and reply
date, so the seminar's counts (who came, by category) stay true, and it
becomes « Invité·e n° N » (N its id). Its name, e-mail address, job title,
organisation and reply comment go, its personal reply link stops working, and
its name and address are replaced everywhere in the database's free text (the
journal's labels…) as for a person's erasure
(``cucs_portal.personal_data.replace_everywhere``). The journal records each
one without the erased data.

Each guest is anonymised in a transaction of its own: a worker killed midway
leaves the guests it had not reached for the next run, none half-done.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from audit.models import AuditEvent
from cucs_portal import personal_data

from .models import Event, Invitation, new_reply_key
from .verbs import SeminaireVerb


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` ``months`` calendar months earlier (the 31st becomes the
    last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def purge_before(now: datetime.datetime | None = None) -> datetime.datetime:
    months = settings.SEMINAR_GUEST_RETENTION_MONTHS
    return months_before(now or timezone.now(), months)


def guests_to_purge(now: datetime.datetime | None = None):
    """Guests without an account whose seminar ended more than the retention
    period ago, not anonymised yet."""
    return (
        Invitation.objects.filter(user__isnull=True, purged_at__isnull=True)
        .alias(seminar_end=Coalesce(F("event__ends_at"), F("event__starts_at")))
        .filter(seminar_end__lt=purge_before(now))
        .order_by("pk")
    )


def guest_pseudonym(invitation: Invitation) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Former guest no. %(number)s") % {"number": invitation.pk}


@transaction.atomic
def guest_purge(*, invitation: Invitation) -> bool:
    """Anonymise one guest (see the module's docstring). False when there is
    nothing left to do (anonymised meanwhile, or given an account)."""
    guest = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation.pk, user__isnull=True, purged_at__isnull=True)
        .first()
    )
    if guest is None:
        return False
    name, email = guest.full_name, guest.email
    label = guest_pseudonym(guest)
    guest.full_name = label
    guest.email = ""
    guest.job_title = ""
    guest.organisation = None
    guest.reply_comment = ""
    guest.key = new_reply_key()
    guest.queued_at = None
    guest.claimed_by = ""
    guest.heartbeat_at = None
    guest.purged_at = timezone.now()
    guest.save()
    personal_data.replace_everywhere(
        names=[name],
        emails=[email],
        replacement=label,
        email_replacement="",
        skip=[(Invitation, guest.pk), *_still_kept(guest, name, email)],
        skip_models=[get_user_model()],
    )
    AuditEvent.record(actor=None, target=guest, action=SeminaireVerb.GUEST_PURGE)
    return True


def _still_kept(guest: Invitation, name: str, email: str) -> list:
    """The rows that name the same person and are not due yet: their other
    invitations (a later seminar, or one with an account) and the journal's
    entries about those, left as they are. A portal account of the same
    address is never changed either (``skip_models``)."""
    same_person = Q(full_name=name)
    if email:
        same_person |= Q(email__iexact=email)
    kept = list(
        Invitation.objects.filter(same_person)
        .exclude(pk=guest.pk)
        .filter(purged_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not kept:
        return []
    entries = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Invitation), target_id__in=kept
    ).values_list("pk", flat=True)
    return [(Invitation, pk) for pk in kept] + [(AuditEvent, pk) for pk in entries]


def removed_guests_forget(*, now: datetime.datetime | None = None) -> int:
    """A guest removed from a seminar left their name in the journal's entry
    of the removal (they have no row left to anonymise): past the retention
    period, the entry stays and says only that a guest was removed. One
    query; returns how many entries were cleared."""
    seminars = (
        Event.objects.alias(seminar_end=Coalesce(F("ends_at"), F("starts_at")))
        .filter(seminar_end__lt=purge_before(now))
        .values("pk")
    )
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Event),
            target_id__in=seminars,
            action=SeminaireVerb.INVITATION_REMOVE,
        )
        .exclude(comment="")
        .update(comment="")
    )


def guests_purge(*, now: datetime.datetime | None = None) -> int:
    """Anonymise every guest past the retention period, and forget the names
    of the guests removed from those seminars; returns how many guests were
    anonymised."""
    purged = 0
    for pk in list(guests_to_purge(now).values_list("pk", flat=True)):
        purged += guest_purge(invitation=Invitation(pk=pk))
    removed_guests_forget(now=now)
    return purged

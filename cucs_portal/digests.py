"""The daily digest: one e-mail per person and per day listing the events they
chose to read that way (``DigestItem``, stored by cucs_portal/mail.py).

A person's digest is one transaction: their waiting items locked, the day's
``Digest`` row created (one per person and day: a second run, or a second
worker, finds it and sends nothing), the items marked as its own, the e-mail
sent, then the commit. A refused send rolls it all back: the items wait for
the next run. A worker killed before the commit leaves the items waiting,
sent by the retry (cucs_portal/tasks.py); the only double a kill can cause
is a message the mail server took in the instant between its answer and the
commit.

django-tasks has no scheduler: the digest task (cucs_portal/tasks.py) is
enqueued to run at the next ``NOTIFICATION_DIGEST_TIME`` (Europe/Paris) and
enqueues its successor when it ends; the worker, when it starts, makes sure
one is waiting (``CucsPortalConfig.recover_interrupted_work``).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .mail import absolute_url
from .models import Digest, DigestItem

logger = logging.getLogger(__name__)


def sending_time() -> datetime.time:
    hours, _sep, minutes = settings.NOTIFICATION_DIGEST_TIME.partition(":")
    return datetime.time(int(hours), int(minutes or 0))


def next_sending_time(after: datetime.datetime | None = None) -> datetime.datetime:
    """The first sending time strictly after ``after`` (now), in the portal's
    time zone: 07:00 today, or tomorrow once it has passed."""
    after = timezone.localtime(after or timezone.now())
    at = sending_time()
    candidate = timezone.make_aware(
        datetime.datetime.combine(after.date(), at), after.tzinfo
    )
    if candidate <= after:
        candidate = timezone.make_aware(
            datetime.datetime.combine(after.date() + datetime.timedelta(days=1), at),
            after.tzinfo,
        )
    return candidate


def _message(user, items, day) -> EmailMessage:
    context = {
        "user": user,
        "items": items,
        "day": day,
        "count": len(items),
        "preferences_url": absolute_url(reverse("notification_preferences")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("emails/digest_subject.txt", context).split()
        )
        body = render_to_string("emails/digest_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send_to(user_id: int, *, day, until, connection) -> str:
    """One person's digest; returns what happened: "sent", "already" (their
    digest of the day left before), "dropped" (inactive or without an address:
    their items are deleted) or "empty"."""
    try:
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update()
                .filter(user_id=user_id, digest__isnull=True, created_at__lte=until)
                .order_by("created_at", "pk")
            )
            if not items:
                return "empty"
            user = get_user_model().objects.get(pk=user_id)
            if not user.is_active or not user.email:
                DigestItem.objects.filter(pk__in=[i.pk for i in items]).delete()
                return "dropped"
            if Digest.objects.filter(user_id=user_id, day=day).exists():
                return "already"
            digest = Digest.objects.create(user_id=user_id, day=day)
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(
                digest=digest
            )
            connection.send_messages([_message(user, items, day)])
    except IntegrityError:
        # Another run created this person's digest of the day meanwhile.
        return "already"
    return "sent"


def send_digests(*, now: datetime.datetime | None = None) -> dict:
    """Send every person with waiting items their digest of today, unless it
    left already. Returns the counts: sent, already, dropped, failed."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    counts = {"sent": 0, "already": 0, "dropped": 0, "failed": 0}
    user_ids = sorted(
        set(
            DigestItem.objects.filter(
                digest__isnull=True, created_at__lte=now
            ).values_list("user_id", flat=True)
        )
    )
    if not user_ids:
        return counts
    connection = get_connection()
    try:
        for user_id in user_ids:
            try:
                outcome = _send_to(user_id, day=day, until=now, connection=connection)
            except Exception:  # a refused address, the server gone: next time
                logger.exception("Could not send the digest of user %s", user_id)
                counts["failed"] += 1
                continue
            if outcome in counts:
                counts[outcome] += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Could not close the mail connection")
    return counts

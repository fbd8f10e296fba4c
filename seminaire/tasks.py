"""The seminar's e-mails, sent by the background worker (``manage.py db_worker``).

A sending in the request queues the guests (``Invitation.queued_at``) and
enqueues one task; the task sends one message per guest (nobody sees the
others' addresses) and marks each guest as soon as their message has left, so
a worker stopped midway leaves the others queued, never wrongly "sent".

The task claims its guests (``Invitation.claimed_by``) and refreshes the
claim's heartbeat between messages: a second task never sends to a guest
another live worker holds, and the guests of a worker that died are free
again once its lease expires (``Invitation.objects.not_waiting``), or at once
when the next worker starts (``services.recover_interrupted_work``).
"""

from __future__ import annotations

import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskContext, task

from cucs_portal import leases
from cucs_portal.mail import absolute_url

from .calendar import invitation_ics
from .models import Invitation, claim_expired_before

logger = logging.getLogger(__name__)

INVITATION = "invitation"
REMINDER = "reminder"
KINDS = (INVITATION, REMINDER)


def _message(invitation: Invitation, kind: str) -> EmailMessage:
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "url": absolute_url(reverse("seminaire:reply", kwargs={"key": invitation.key})),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"seminaire/emails/{kind}_subject.txt", context).split()
        )
        body = render_to_string(f"seminaire/emails/{kind}_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[invitation.email])
    if kind == INVITATION:
        # A meeting request the guest's mail client offers to add to their
        # calendar; the reply still goes through the personal link.
        part = MIMEText(invitation_ics(invitation).decode(), "calendar", "utf-8")
        part.set_param("method", "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
        message.attach(part)
    return message


def _still_due(invitation: Invitation, kind: str) -> bool:
    """Whether the message is still worth sending when its turn comes: the
    guest may have replied, or replies closed, while it waited."""
    if not invitation.email or not invitation.event.replies_open:
        return False
    if kind == INVITATION:
        return invitation.sent_at is None
    return (
        invitation.sent_at is not None and invitation.reply == Invitation.Reply.PENDING
    )


def _release(pks, holder: str) -> None:
    """Give back guests whose message did not leave: sendable again (only those
    this worker still holds: another may have taken up the others)."""
    Invitation.objects.filter(
        pk__in=pks, queued_at__isnull=False, claimed_by=holder
    ).update(queued_at=None, claimed_by="", heartbeat_at=None)


def _mark_sent(invitation: Invitation, kind: str) -> None:
    # Only a row still queued for the same address: an address corrected
    # meanwhile (which un-queues the guest) is not marked sent.
    now = timezone.now()
    changes = (
        {"sent_at": now}
        if kind == INVITATION
        else {"reminded_at": now, "reminder_count": F("reminder_count") + 1}
    )
    Invitation.objects.filter(
        pk=invitation.pk, queued_at__isnull=False, email=invitation.email
    ).update(queued_at=None, claimed_by="", heartbeat_at=None, **changes)


def holder_name(task_result_id) -> str:
    """Who claims guests: the task row first (the recovery tells a dead task
    from a live one by it), then this machine and process, for the
    administrator."""
    return f"{task_result_id}@{leases.worker_name()}"[:100]


def holder_task(claimed_by: str) -> str:
    """The task row of a claim (``holder_name``)."""
    return claimed_by.partition("@")[0]


@task(takes_context=True)
def deliver_emails(context: TaskContext, kind: str, invitation_pks: list[int]) -> dict:
    """Send the ``kind`` e-mail ("invitation" or "reminder") to each guest of
    ``invitation_pks`` still queued, one message at a time on one connection.
    A refused message is logged and its guest un-queued, to be sent again.
    Returns the counts: sent, failed, skipped (no longer queued or due)."""
    if kind not in KINDS:
        raise ValueError(kind)
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    holder = holder_name(context.task_result.id)
    pending = _claim(sorted(set(invitation_pks)), holder)
    counts["skipped"] = len(set(invitation_pks)) - len(pending)
    heartbeat = leases.Heartbeat(lambda: _beat(pending, holder))
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("Could not reach the mail server for the seminar")
        _release(pending, holder)
        counts["failed"] = len(pending)
        return counts
    # Nothing beats during an SMTP exchange: a beat after each one gives the
    # next its whole grace (``claim_expired_before``).
    heartbeat(now=True)
    try:
        while pending:
            pk = pending[0]
            heartbeat()
            invitation = (
                Invitation.objects.select_related("event__edition")
                .filter(pk=pk, queued_at__isnull=False, claimed_by=holder)
                .first()
            )
            if invitation is None or not _still_due(invitation, kind):
                _release([pk], holder)
                counts["skipped"] += 1
                pending.pop(0)
                continue
            try:
                connection.send_messages([_message(invitation, kind)])
            except Exception:  # an SMTP refusal of one address, a dropped link…
                logger.exception("Could not send the seminar %s to guest %s", kind, pk)
                _release([pk], holder)
                counts["failed"] += 1
                pending.pop(0)
                heartbeat(now=True)
                _reopen(connection)
                heartbeat(now=True)
                continue
            pending.pop(0)
            _mark_sent(invitation, kind)
            counts["sent"] += 1
            heartbeat(now=True)
    except BaseException:
        # The worker is being stopped: what has not left is sendable again.
        _release(pending, holder)
        raise
    finally:
        _reset(connection)
    return counts


def _claim(pks: list[int], holder: str) -> list[int]:
    """Take up the guests still queued that no live worker holds; returns them."""
    free = Invitation.objects.filter(pk__in=pks, queued_at__isnull=False).filter(
        Q(claimed_by="") | Q(heartbeat_at__lt=claim_expired_before())
    )
    free.update(claimed_by=holder, heartbeat_at=timezone.now())
    return list(
        Invitation.objects.filter(pk__in=pks, claimed_by=holder)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _beat(pks: list[int], holder: str) -> None:
    Invitation.objects.filter(pk__in=pks, claimed_by=holder).update(
        heartbeat_at=timezone.now()
    )


def _reset(connection) -> None:
    """Close the connection, logging rather than raising."""
    try:
        connection.close()
    except Exception:
        logger.exception("Could not close the mail connection")


def _reopen(connection) -> None:
    """A new connection after a failure: after a dropped link the old one
    would refuse every following message."""
    _reset(connection)
    try:
        connection.open()
    except Exception:
        logger.exception("Could not reach the mail server for the seminar")

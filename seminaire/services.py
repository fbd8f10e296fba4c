"""Every write of the seminar: the event, its guests, the e-mails, the replies.

Each service runs in a transaction, locks the rows it changes, checks the
current state and records who did it in the audit log. E-mails are not sent
in the request: a sending queues the guests and, after commit, one task of the
background worker (seminaire/tasks.py), which marks each guest sent as their
message leaves.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from cucs_portal import leases
from cucs_portal.collation import French
from cucs_portal.records import apply_fields, changed_fields, check_version
from people.models import User

from .models import (
    Event,
    Invitation,
    abandoned_claim,
    claim_expired_before,
    new_reply_key,
)
from .tasks import INVITATION, REMINDER, deliver_emails, holder_task
from .verbs import SeminaireVerb

logger = logging.getLogger(__name__)

DELIVERY_TASK = deliver_emails.module_path

EVENT_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "description",
    "edition",
    "reply_by",
)
INVITATION_FIELDS = ("category", "full_name", "email", "job_title", "organisation")
REPLY_FIELDS = ("reply", "reply_comment")


class RepliesClosed(Exception):
    """The reply date has passed: no reply can change any more, so no
    invitation or reminder is sent either."""


def _labels(model, names) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)


# --- The event ---------------------------------------------------------------


@transaction.atomic
def event_create(*, user, data: dict) -> Event:
    event = Event(created_by=user, version=1)
    apply_fields(event, data, EVENT_FIELDS)
    event.full_clean()
    event.save()
    AuditEvent.record(actor=user, target=event, action=SeminaireVerb.EVENT_CREATE)
    return event


@transaction.atomic
def event_update(*, user, event: Event, data: dict, base_version: int) -> Event:
    """Save an edit made on ``base_version``; refused with EditConflict when
    someone saved in between, so that no edit silently overwrites another."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    check_version(current, base_version)
    changed = changed_fields(current, data, EVENT_FIELDS)
    if not changed:
        return current
    apply_fields(current, data, changed)
    current.full_clean()
    current.version += 1
    current.save()
    AuditEvent.record(
        actor=user,
        target=current,
        action=SeminaireVerb.EVENT_CHANGE,
        comment=_labels(Event, changed),
    )
    return current


# --- Guests ------------------------------------------------------------------


@dataclass
class ImportResult:
    added: list = field(default_factory=list)
    skipped: int = 0


def people_to_invite(*, organisations=(), kinds=(), people=()):
    """The active people of ``organisations``, of the organisations of
    ``kinds`` and ``people`` themselves, each once."""
    condition = Q(pk__in=[p.pk for p in people])
    if organisations:
        condition |= Q(organisation__in=organisations)
    if kinds:
        condition |= Q(organisation__kind__in=kinds)
    return (
        User.objects.filter(condition, is_active=True)
        .select_related("organisation")
        .order_by(French("last_name"), French("first_name"), "pk")
    )


@transaction.atomic
def invitations_import(
    *, user, event: Event, organisations=(), kinds=(), people=()
) -> ImportResult:
    """One invitation per person chosen (directly or through their
    organisation), in the category of their organisation's kind. People
    already invited, as themselves or by their address, are skipped."""
    Event.objects.select_for_update().get(pk=event.pk)  # serialises imports
    existing = event.invitations.all()
    invited_users = set(existing.exclude(user=None).values_list("user_id", flat=True))
    invited_addresses = set(
        existing.exclude(email="")
        .annotate(address=Lower("email"))
        .values_list("address", flat=True)
    )
    result = ImportResult()
    new = []
    for person in people_to_invite(
        organisations=organisations, kinds=kinds, people=people
    ):
        address = person.email.strip().lower()
        if person.pk in invited_users or (address and address in invited_addresses):
            result.skipped += 1
            continue
        invited_users.add(person.pk)
        if address:
            invited_addresses.add(address)
        new.append(
            Invitation(
                event=event,
                user=person,
                full_name=person.get_full_name() or person.get_username(),
                email=person.email.strip(),
                job_title=person.job_title,
                organisation=person.organisation,
                category=Invitation.category_for(person.organisation),
            )
        )
    result.added = Invitation.objects.bulk_create(new)
    if new:
        AuditEvent.record(
            actor=user,
            target=event,
            action=SeminaireVerb.INVITATION_ADD,
            comment=", ".join(invitation.full_name for invitation in new)[:2000],
        )
    return result


def _duplicate_error(
    event: Event, data: dict, exclude_pk=None
) -> ValidationError | None:
    address = (data.get("email") or "").strip()
    if not address:
        return None
    others = event.invitations.filter(email__iexact=address)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is None:
        return None
    return ValidationError(
        {
            "email": _("%(name)s is already invited with this address.")
            % {"name": other.full_name}
        }
    )


@transaction.atomic
def invitation_add(*, user, event: Event, data: dict) -> Invitation:
    """A guest added by hand (an elected official, a partner's contact):
    refused with a ValidationError on the address when it is already invited."""
    Event.objects.select_for_update().get(pk=event.pk)
    error = _duplicate_error(event, data)
    if error:
        raise error
    invitation = Invitation(event=event)
    apply_fields(invitation, data, INVITATION_FIELDS)
    invitation.full_clean()
    invitation.save()
    AuditEvent.record(
        actor=user,
        target=event,
        action=SeminaireVerb.INVITATION_ADD,
        comment=invitation.full_name,
    )
    return invitation


def _address_changed(old: str, new: str) -> bool:
    # Capitals aside, as for the one-invitation-per-address rule: the same
    # mailbox, nothing to send again.
    return old.strip().lower() != (new or "").strip().lower()


def _set_reply(invitation: Invitation, reply: str) -> None:
    if invitation.reply != reply:
        invitation.replied_at = (
            None if reply == Invitation.Reply.PENDING else timezone.now()
        )
    invitation.reply = reply


@transaction.atomic
def invitation_update(
    *, user, invitation: Invitation, data: dict, base_version: int
) -> Invitation:
    """Change a guest's details or record the reply they gave by phone or by
    post. Refused with EditConflict when someone (the guest included) saved
    in between. A corrected address starts the e-mails over: the guest is
    to be sent the invitation again, under a new personal link (the one
    e-mailed to the wrong address stops working)."""
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_version(current, base_version)
    changed = changed_fields(current, data, INVITATION_FIELDS + REPLY_FIELDS)
    if not changed:
        return current
    error = _duplicate_error(current.event, data, exclude_pk=current.pk)
    if error:
        raise error
    if "email" in changed and _address_changed(current.email, data["email"]):
        current.sent_at = current.reminded_at = current.queued_at = None
        current.reminder_count = 0
        current.key = new_reply_key()
    for name in changed:
        if name == "reply":
            _set_reply(current, data["reply"])
        else:
            setattr(current, name, data[name])
    current.full_clean()
    current.version += 1
    current.save()
    AuditEvent.record(
        actor=user,
        target=current,
        action=(
            SeminaireVerb.INVITATION_REPLY
            if "reply" in changed
            else SeminaireVerb.INVITATION_CHANGE
        ),
        to_status=current.reply if "reply" in changed else "",
        comment=_labels(Invitation, changed),
    )
    return current


@transaction.atomic
def invitation_remove(*, user, invitation: Invitation) -> None:
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    name, event = current.full_name, current.event
    current.delete()
    AuditEvent.record(
        actor=user,
        target=event,
        action=SeminaireVerb.INVITATION_REMOVE,
        comment=name,
    )


@transaction.atomic
def invitation_reply(*, invitation: Invitation, reply: str, comment: str = ""):
    """The guest's own reply through their personal link (no account needed),
    possible until the reply date."""
    # Only the invitation row is locked (not the event, which the sendings
    # lock before the invitations: two orders of locking could deadlock).
    current = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=invitation.pk)
    )
    if not current.event.replies_open:
        raise RepliesClosed
    if reply not in (Invitation.Reply.ATTENDING, Invitation.Reply.DECLINED):
        raise ValueError(reply)
    comment = comment.strip()
    if current.reply == reply and current.reply_comment == comment:
        return current
    from_status = current.reply
    current.reply = reply
    current.replied_at = timezone.now()
    current.reply_comment = comment
    current.version += 1
    current.save(update_fields=["reply", "replied_at", "reply_comment", "version"])
    AuditEvent.record(
        actor=None,
        target=current,
        action=SeminaireVerb.INVITATION_REPLY,
        from_status=from_status,
        to_status=reply,
        comment=comment,
    )
    return current


# --- E-mails -------------------------------------------------------------------


def _queue(*, user, event: Event, invitations, kind: str, action: str) -> int:
    """Queue ``invitations`` (of ``event``, not waiting already) for the
    background worker, after commit; returns how many. The event is locked:
    a second click waits for the first and finds the guests queued."""
    if not Event.objects.select_for_update().get(pk=event.pk).replies_open:
        raise RepliesClosed
    pks = list(
        invitations.select_for_update().order_by("pk").values_list("pk", flat=True)
    )
    if not pks:
        return 0
    Invitation.objects.filter(pk__in=pks).update(
        queued_at=timezone.now(), claimed_by="", heartbeat_at=None
    )
    AuditEvent.record(actor=user, target=event, action=action, comment=str(len(pks)))
    transaction.on_commit(lambda: deliver_emails.enqueue(kind, pks))
    return len(pks)


@transaction.atomic
def invitations_send(*, user, event: Event) -> int:
    """Queue the invitation for every guest with an address who has not been
    sent it yet (nor is waiting for it), each with their personal reply link.
    Returns how many were queued; the worker sends them."""
    return _queue(
        user=user,
        event=event,
        invitations=event.invitations.to_send(),
        kind=INVITATION,
        action=SeminaireVerb.INVITATION_SEND,
    )


@transaction.atomic
def invitations_remind(*, user, event: Event) -> int:
    """Queue a reminder for the guests invited by e-mail who have not replied
    yet. Returns how many were queued; the worker sends them."""
    return _queue(
        user=user,
        event=event,
        invitations=event.invitations.to_remind(),
        kind=REMINDER,
        action=SeminaireVerb.INVITATION_REMIND,
    )


@transaction.atomic
def recover_interrupted_work() -> dict:
    """What a worker that died while sending left behind, found by the next
    worker when it starts: its guests are given back (sendable again, as when
    a worker is stopped cleanly: the secretariat sends again), and its task
    rows, still "running", are marked failed so none is taken as busy or run
    twice. Work of a live worker (lease refreshed) is left alone."""
    abandoned = Invitation.objects.select_for_update().filter(
        abandoned_claim(), queued_at__isnull=False
    )
    released = abandoned.update(queued_at=None, claimed_by="", heartbeat_at=None)
    # A task is alive while a claim of its own is: the guests it was given may
    # since have been queued again and taken up by another task.
    alive = {
        holder_task(claimed_by)
        for claimed_by in Invitation.objects.filter(
            heartbeat_at__gte=claim_expired_before()
        )
        .exclude(claimed_by="")
        .values_list("claimed_by", flat=True)
    }
    dead = DBTaskResult.objects.running().filter(
        task_path=DELIVERY_TASK, started_at__lt=claim_expired_before()
    )
    dead = [result for result in dead if str(result.id) not in alive]
    failed = leases.fail_task_results(
        dead, "The worker sending these e-mails stopped (its lease expired)."
    )
    return {"released": released, "tasks_failed": failed}

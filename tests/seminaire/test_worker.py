"""The seminar's e-mails go through the real queue: committed transactions (so
the ``on_commit`` enqueuing happens as in production), the django-tasks
database backend, and ``manage.py db_worker`` running the task."""

import datetime
import time

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminaire.models import Invitation
from seminaire.selectors import waiting_emails
from seminaire.services import recover_interrupted_work
from tests import factories as f
from tests.referentiel.support import run_worker

from .factories import EventFactory, InvitationFactory
from .test_services import REFUSED_ADDRESS

TASK = "seminaire.tasks.deliver_emails"


@override_settings(EMAIL_BACKEND="tests.seminaire.test_services.RefusingBackend")
def test_the_worker_sends_what_the_request_queued(client, transactional_db):
    """The click queues one task; the worker sends each invitation and marks
    it sent; the address the server refuses ends neither sent nor queued."""
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    guests = InvitationFactory.create_batch(2, event=event)
    refused = InvitationFactory(event=event, email=REFUSED_ADDRESS)

    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (TASK, "READY")
    assert mail.outbox == []
    assert event.invitations.waiting().count() == 3

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"sent": 2, "failed": 1, "skipped": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(g.email for g in guests)
    assert not event.invitations.waiting().exists()
    refused = Invitation.objects.get(pk=refused.pk)
    assert (refused.sent_at, refused.queued_at) == (None, None)
    assert event.invitations.filter(sent_at__isnull=False).count() == 2


def test_guests_a_dead_worker_held_are_free_again_and_its_task_closed(
    client, transactional_db, settings
):
    """A worker killed while sending leaves its guests claimed and its task row
    running. Once its lease expires (three beats, and at least six times
    EMAIL_TIMEOUT) the guests can be sent their invitation again; the next
    worker that starts gives them back and marks the dead task row failed,
    while the guests a live worker holds stay with it."""
    settings.WORKER_HEARTBEAT_SECONDS = 1
    settings.EMAIL_TIMEOUT = 1
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    dead_guest, live_guest = InvitationFactory.create_batch(2, event=event)
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))
    task = DBTaskResult.objects.get()
    # What `deliver_emails` leaves when SIGKILLed mid-sending: its claim and
    # the task row as the worker took it up; the second guest is held by a
    # live worker (fresh beat).
    long_ago = timezone.now() - datetime.timedelta(seconds=10)
    Invitation.objects.filter(pk=dead_guest.pk).update(
        claimed_by=f"{task.pk}@host:1", heartbeat_at=long_ago
    )
    Invitation.objects.filter(pk=live_guest.pk).update(
        claimed_by=f"{task.pk}@host:2", heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["w1"]
    )

    assert list(event.invitations.to_send()) == [dead_guest]

    assert recover_interrupted_work() == {"released": 1, "tasks_failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"  # it still holds the live guest

    Invitation.objects.filter(pk=live_guest.pk).update(heartbeat_at=long_ago)
    assert recover_interrupted_work() == {"released": 1, "tasks_failed": 1}
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == (
        "FAILED",
        "cucs_portal.leases.WorkerDied",
    )
    assert not event.invitations.waiting().exists()
    assert event.invitations.to_send().count() == 2


def test_a_live_worker_s_long_sending_is_neither_late_nor_sent_again(
    client, transactional_db
):
    """Guests queued 40 minutes ago that a live worker holds (a long batch,
    heartbeat fresh) are being sent: the page does not call them late, and
    sending again queues nobody (no second e-mail to the guest being sent).
    Queued as long but taken up by no worker, they are late and sendable."""
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    held, forgotten = InvitationFactory.create_batch(2, event=event)
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))
    task = DBTaskResult.objects.get()
    forty_minutes_ago = timezone.now() - datetime.timedelta(minutes=40)
    event.invitations.update(queued_at=forty_minutes_ago)
    Invitation.objects.filter(pk=held.pk).update(
        claimed_by=f"{task.pk}@host:1", heartbeat_at=timezone.now()
    )

    assert waiting_emails(event) == {"count": 2, "late": 1}
    assert list(event.invitations.to_send()) == [forgotten]
    assert send_again(client, event) == [forgotten.pk]
    held.refresh_from_db()
    assert held.claimed_by == f"{task.pk}@host:1"


def send_again(client, event) -> list[int]:
    """Send the invitations; returns the guests the new task was given."""
    before = set(DBTaskResult.objects.values_list("pk", flat=True))
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))
    new = DBTaskResult.objects.exclude(pk__in=before).get()
    return new.args_kwargs["args"][1]


def test_a_dead_task_whose_guests_another_task_took_up_is_closed(
    client, transactional_db, settings
):
    """A worker dies while sending; its guests' claims expire and the
    secretariat sends again: a new live task holds the same guests. The dead
    task row is closed all the same (it holds nothing), the live one is not."""
    settings.WORKER_HEARTBEAT_SECONDS = 1
    settings.EMAIL_TIMEOUT = 1
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    guest = InvitationFactory(event=event)
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))
    dead = DBTaskResult.objects.get()
    long_ago = timezone.now() - datetime.timedelta(seconds=30)
    Invitation.objects.filter(pk=guest.pk).update(
        claimed_by=f"{dead.pk}@host:1", heartbeat_at=long_ago
    )
    DBTaskResult.objects.filter(pk=dead.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["w1"]
    )
    assert send_again(client, event) == [guest.pk]
    live = DBTaskResult.objects.exclude(pk=dead.pk).get()
    Invitation.objects.filter(pk=guest.pk).update(
        claimed_by=f"{live.pk}@host:2", heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=live.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["w2"]
    )

    assert recover_interrupted_work() == {"released": 0, "tasks_failed": 1}
    dead.refresh_from_db()
    live.refresh_from_db()
    assert (dead.status, live.status) == ("FAILED", "RUNNING")


def test_a_claim_lasts_six_smtp_time_limits(transactional_db, settings):
    """Opening an SMTP connection (connect, EHLO, STARTTLS, AUTH) or sending
    one message waits up to several EMAIL_TIMEOUT with no beat: a claim four
    time limits old is still held, one seven time limits old is free."""
    settings.WORKER_HEARTBEAT_SECONDS = 1
    settings.EMAIL_TIMEOUT = 10
    event = EventFactory()
    busy, dead = InvitationFactory.create_batch(2, event=event)
    now = timezone.now()
    event.invitations.update(queued_at=now)
    Invitation.objects.filter(pk=busy.pk).update(
        claimed_by="t@host:1", heartbeat_at=now - datetime.timedelta(seconds=40)
    )
    Invitation.objects.filter(pk=dead.pk).update(
        claimed_by="t@host:1", heartbeat_at=now - datetime.timedelta(seconds=70)
    )

    assert list(event.invitations.to_send()) == [dead]


class SlowServer(EmailBackend):
    """A mail server slow to open a connection and to take each message (a
    test double of Django's backend); it notes, as each message arrives, when
    the worker last refreshed that guest's claim."""

    seen: list[tuple] = []

    def open(self):
        time.sleep(0.6)
        SlowServer.seen.append(("opened", timezone.now()))
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            beat = Invitation.objects.get(email=message.to[0]).heartbeat_at
            SlowServer.seen.append(("beat", beat))
            time.sleep(0.6)
            SlowServer.seen.append(("sent", timezone.now()))
        return super().send_messages(messages)


def test_the_worker_beats_after_opening_the_connection_and_after_each_message(
    client, transactional_db, settings
):
    """Nothing beats while the mail server answers, so the worker beats as
    soon as the connection is open and as soon as each message has left: the
    next step always starts with a fresh claim, however slow the last one."""
    # Through the settings fixture only: mixed with @override_settings, its
    # teardown would restore the decorator's settings for the tests after.
    settings.EMAIL_BACKEND = "tests.seminaire.test_worker.SlowServer"
    settings.WORKER_HEARTBEAT_SECONDS = 60  # no beat from the clock alone
    SlowServer.seen = []
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    InvitationFactory.create_batch(2, event=event)
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))

    run_worker()

    assert [step for step, _ in SlowServer.seen] == [
        "opened",
        "beat",
        "sent",
        "beat",
        "sent",
    ]
    (_, opened), (_, first_beat), (_, first_sent), (_, second_beat), _ = SlowServer.seen
    assert first_beat >= opened
    assert second_beat >= first_sent
    assert len(mail.outbox) == 2
